/** Turns a fetch/socket failure into a short reason: "connection refused", "timed out", … */
export function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string } })?.cause?.code ?? (error as { code?: string })?.code;
  if (cause === 'ECONNREFUSED') return 'connection refused';
  if (cause === 'ECONNRESET') return 'connection reset';
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timed out';
  return cause ?? (error instanceof Error ? error.message : String(error));
}
