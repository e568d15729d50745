/**
 * handleSummary for every script: the end-of-test summary as JSON in SUMMARY_FILE (when set) and a short
 * line on stdout. (k6's text summary helper would need a network import; labs run offline.)
 */
export function summaryOutputs(data: { metrics: Record<string, { values: Record<string, number> }> }): Record<string, string> {
  const requests = data.metrics.http_reqs?.values.count ?? 0;
  const failed = data.metrics.http_req_failed?.values.rate ?? 0;
  const p95 = data.metrics.http_req_duration?.values['p(95)'] ?? 0;
  const line = `k6: ${requests} requests, ${(failed * 100).toFixed(1)}% failed, p95 ${p95.toFixed(0)} ms\n`;
  return { stdout: line, ...(__ENV.SUMMARY_FILE ? { [__ENV.SUMMARY_FILE]: JSON.stringify(data, null, 2) } : {}) };
}
