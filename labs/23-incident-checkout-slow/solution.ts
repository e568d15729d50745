/**
 * Lab 23 reference solution: the incident worked as on-call works it — silence the page, wait for the alert
 * to have fired and a window of the incident to fill, measure, follow a slow checkout's log line to its trace,
 * and read where that trace's time goes.
 */
import { eventually, silenceOnly, treeSpans, type LabContext } from '../api.ts';
import { pagingAlert, slowMs } from './incident.ts';

const checkouts = 'service="shop", route="/checkout"';
/** All requests of `selector`, and those answered within 250 ms (the histogram's 0.25 s bucket). */
const all = (selector: string) => `http_server_request_duration_seconds_count{${selector}}`;
const fast = (selector: string) => `http_server_request_duration_seconds_bucket{${selector}, le="${slowMs / 1000}"}`;

/** The slow share in percent, over a window: 1 − (checkouts within 250 ms ÷ all checkouts). */
export const slowShareQuery = (selector = checkouts, window = '3m') => `100 * (1 - sum(rate(${fast(selector)}[${window}])) / sum(rate(${all(selector)}[${window}])))`;

export async function promql(ctx: LabContext, expr: string): Promise<number[]> {
  const response = await fetch(`${ctx.endpoints.prometheus}/api/v1/query?${new URLSearchParams({ query: expr })}`);
  const body = (await response.json()) as { data?: { result: { value: [number, string] }[] }; error?: string };
  if (!body.data) throw new Error(`Prometheus refused ${expr}: ${body.error}`);
  return body.data.result.map((r) => Number(r.value[1]));
}

/** The trace ids of checkout log lines in Loki from the last minute that match `filter` (a LogQL label filter on duration_ms). */
export async function checkoutTraceIds(ctx: LabContext, filter: string): Promise<(string | undefined)[]> {
  const now = Date.now();
  const params = new URLSearchParams({ query: `{service_name="shop"} | route="/checkout" | ${filter}`, start: `${now - 60_000}000000`, end: `${now}000000`, limit: '20', direction: 'backward' });
  const body = (await (await fetch(`${ctx.endpoints.loki}/loki/api/v1/query_range?${params}`)).json()) as { data?: { result: { stream: Record<string, string>; values: [string, string][] }[] } };
  // Loki answers with each line's structured metadata (trace_id, duration_ms) among its stream's labels: one trace, one stream.
  return (body.data?.result ?? []).map((s) => s.stream.trace_id);
}

/** A checkout's trace id from the logs, waiting for lines to arrive. */
export const traceFromLogs = (ctx: LabContext, filter: string) =>
  eventually(async () => (await checkoutTraceIds(ctx, filter)).find((id) => id !== undefined), (id) => id !== undefined, { timeoutMs: 90_000, intervalMs: 2000, what: `a checkout log line with ${filter} in Loki` }) as Promise<string>;

/** Where a trace's time goes: the inventory when its POST /reserve is itself slow, else the shop's own handling. */
export async function whoseTime(ctx: LabContext, traceId: string): Promise<'shop' | 'inventory'> {
  const trace = await eventually(
    async () => {
      const response = await fetch(`${ctx.endpoints.tempo}/api/traces/${traceId}`);
      return response.ok ? treeSpans((await response.json()) as { batches?: unknown[] }) : [];
    },
    (spans) => spans.some((s) => s.service === 'shop') && spans.some((s) => s.service === 'inventory'),
    { timeoutMs: 60_000, intervalMs: 2000, what: `trace ${traceId} in Tempo` },
  );
  const reserve = trace.find((s) => s.service === 'inventory' && s.kind === 'server');
  return reserve && Number(reserve.endNs - reserve.startNs) / 1e6 > slowMs ? 'inventory' : 'shop';
}

export interface Findings {
  percent: number;
  traceId: string;
  service: string;
}

/** Waits for the page and for three minutes of the incident, then finds the three answers. */
export async function investigate(ctx: LabContext): Promise<Findings> {
  await eventually(() => promql(ctx, `ALERTS{alertname="${pagingAlert}", alertstate="firing"}`), (firing) => firing.length > 0, { timeoutMs: 5 * 60_000, intervalMs: 5000, what: `${pagingAlert} firing` });
  // The window must hold only the incident: slow checkouts already 3 minutes ago (the incident began before then).
  await eventually(
    () => promql(ctx, `sum(increase(${all(checkouts)}[15s] offset 180s)) - sum(increase(${fast(checkouts)}[15s] offset 180s))`),
    ([slow]) => (slow ?? 0) >= 1,
    { timeoutMs: 6 * 60_000, intervalMs: 5000, what: 'three minutes of the incident in Prometheus' },
  );
  const [percent] = await promql(ctx, slowShareQuery());
  const traceId = await traceFromLogs(ctx, `duration_ms > ${slowMs}`);
  return { percent: Number(percent!.toFixed(1)), traceId, service: await whoseTime(ctx, traceId) };
}

export const answerWith = (ctx: LabContext, found: Findings) =>
  ctx.writeFile(ctx.answersFile, `slow_checkout_percent: ${found.percent}\nslow_trace_id: "${found.traceId}"\nslow_service: ${found.service}\n`);

/** The page silenced by its name, for two hours of investigation. */
export const silencePage = (ctx: LabContext, matchers: Record<string, string> = { alertname: pagingAlert }) =>
  silenceOnly(ctx, matchers, new Date(Date.now() + 2 * 3_600_000).toISOString(), 'investigating: checkout is slow');

export default async function solution(ctx: LabContext): Promise<void> {
  await silencePage(ctx);
  const found = await investigate(ctx);
  await answerWith(ctx, found);
  ctx.log(`answered: ${found.percent} % of checkouts slow, e.g. trace ${found.traceId}; the time is the ${found.service}'s`);
}
