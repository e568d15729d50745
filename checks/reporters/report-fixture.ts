/**
 * A realistic check report for the reporters' tests: lab 4 with one objective of each outcome and evidence as
 * the builders write it. Each test derives the variant it needs (all passing, hostile text) from this one.
 */
import type { CheckReport, Evidence, ObjectiveResult } from '../model.ts';

const objectives: ObjectiveResult[] = [
  {
    id: 'shop-scraped',
    title: 'Prometheus scrapes the shop',
    outcome: 'pass',
    points: 10,
    score: 10,
    evidence: { source: 'prometheus', query: 'up{job="shop"}', got: '1 series: up{instance="127.0.0.1:8080", job="shop"} 1', expected: 'every value == 1' },
    attempts: 1,
    durationMs: 42,
  },
  {
    id: 'p95-recorded',
    title: 'The p95 latency is recorded for every route of the shop',
    outcome: 'fail',
    points: 15,
    score: 0,
    evidence: {
      source: 'prometheus',
      query: 'service_route:http_server_request_duration_seconds:p95_1m{service="shop"}',
      got: 'no series',
      expected: '>= 3 series',
    },
    hint: 'Record service_route:http_server_request_duration_seconds:p95_1m with histogram_quantile(0.95, …) over the _bucket series, summed by (service, route, le).',
    cause: 'deadline',
    attempts: 14,
    durationMs: 60_350,
  },
  {
    id: 'errors-logged',
    title: 'Checkout errors are logged with their route',
    outcome: 'error',
    points: 10,
    score: 0,
    hint: 'Log each failed checkout as JSON with a route field.',
    message: 'Loki is not reachable at http://127.0.0.1:3100 (connection refused)',
    cause: 'engine-unreachable',
    attempts: 1,
    durationMs: 3,
  },
  {
    id: 'p95-agrees',
    title: 'The recorded p95 agrees with a direct query (within 35 %)',
    outcome: 'skipped',
    points: 15,
    score: 0,
    hint: 'Keep le in the sum before histogram_quantile, and use the same 1m window as the direct query.',
    message: 'skipped: needs "The p95 latency is recorded for every route of the shop" to pass first',
    cause: 'needs',
    attempts: 0,
    durationMs: 0,
  },
];

export const mixedReport: CheckReport = {
  schemaVersion: 1,
  lab: { number: 4, slug: 'red-recording-rules', title: 'RED recording rules' },
  startedAt: '2025-03-14T09:26:53.589Z',
  durationMs: 60_412,
  score: 10,
  maxScore: 50,
  passed: false,
  counts: { pass: 1, fail: 1, error: 1, skipped: 1 },
  objectives,
};

/** What each objective's probe saw once the solution was applied. */
const solvedEvidence: Record<string, Evidence> = {
  'shop-scraped': objectives[0]!.evidence!,
  'p95-recorded': {
    ...objectives[1]!.evidence!,
    got: '4 series: {route="/cart", service="shop"} 0.046; {route="/checkout", service="shop"} 0.23; {route="/products", service="shop"} 0.012 (+1 more)',
  },
  'errors-logged': {
    source: 'loki',
    query: '{service_name="shop"} | json | level="error" | route="/checkout"',
    got: '12 lines, e.g. {"level":"error","route":"/checkout","msg":"payment declined"}',
    expected: '>= 1 lines',
  },
  'p95-agrees': {
    source: 'prometheus',
    query: 'max((abs(service_route:http_server_request_duration_seconds:p95_1m{service="shop"} - on (service, route) histogram_quantile(0.95, sum by (service, route, le) (rate(http_server_request_duration_seconds_bucket{service="shop"}[1m])))) / on (service, route) clamp_min(histogram_quantile(0.95, sum by (service, route, le) (rate(http_server_request_duration_seconds_bucket{service="shop"}[1m]))), 0.001)) >= 0)',
    got: '1 series: {} 0.041',
    expected: 'every value < 0.35',
  },
};

/** The same lab after the solution: every objective passes. */
export const passingReport: CheckReport = {
  ...mixedReport,
  durationMs: 8_020,
  score: 50,
  passed: true,
  counts: { pass: 4, fail: 0, error: 0, skipped: 0 },
  objectives: objectives.map(({ hint: _hint, message: _message, ...result }) => ({
    ...result,
    outcome: 'pass',
    score: result.points,
    attempts: 2,
    durationMs: 1_500,
    evidence: solvedEvidence[result.id]!,
  })),
};
