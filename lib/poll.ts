/**
 * Waits for telemetry that arrives late: calls `probe` until it returns a value that `done` accepts, or the
 * deadline passes — then fails with the last value seen, so the failure shows what the engine did return.
 * Used by integration tests and by lab solutions that read live data before answering.
 */
export async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      lastError = undefined;
      if (done(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
  }
  const seen = lastError ? `error: ${lastError instanceof Error ? lastError.message : String(lastError)}` : `last value: ${JSON.stringify(last)?.slice(0, 800)}`;
  throw new Error(`timed out waiting for ${options.what ?? 'a condition'} (${seen})`);
}
