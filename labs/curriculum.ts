/**
 * The course plan: twelve modules, two graded labs each, numbered across the whole course so that
 * `npm run lab:start 7` always means the same lab. This is the outline of labs that are not written yet; once
 * labs/NN-slug/ exists, the site takes that lab's title and summary from its definition instead, and
 * course/site-data.ts refuses a lab whose number, slug or module disagrees with this plan.
 *
 * Plain data with no imports: docusaurus.config.ts and sidebars.ts read it too, and so does the CLI (through
 * labs/modules.ts).
 */

export interface PlannedModule {
  /** The docs folder, docs/<id>/. */
  id: string;
  title: string;
  /** One sentence: what the module teaches (the landing page says more). */
  teaches: string;
  labs: PlannedLab[];
}

export interface PlannedLab {
  number: number;
  slug: string;
  title: string;
  /** What the student does. */
  summary: string;
}

export const curriculum: PlannedModule[] = [
  {
    id: '01-fundamentals',
    title: 'Stack & Grafana fundamentals',
    teaches: 'What each engine of the stack does, how to find it, and how Grafana puts them on one screen.',
    labs: [
      { number: 1, slug: 'stack-tour', title: 'Stack tour', summary: 'Start the stack, find each engine, and build a first dashboard of host CPU and memory.' },
      { number: 2, slug: 'datasources-as-code', title: 'Datasources as code', summary: 'Provision a datasource from a file and prove that it is healthy.' },
    ],
  },
  {
    id: '02-metrics',
    title: 'Metrics with Prometheus',
    teaches: 'Scraping, PromQL (rate, sum by, histogram_quantile) and recording rules for RED metrics.',
    labs: [
      { number: 3, slug: 'scrape-and-query', title: 'Scrape and query', summary: 'Add the demo app as a scrape target and answer PromQL questions with rate, sum by and topk.' },
      { number: 4, slug: 'red-recording-rules', title: 'RED recording rules', summary: 'Write recording rules for per-route request rate, error ratio and p95 latency.' },
    ],
  },
  {
    id: '03-load-testing',
    title: 'Load testing with k6',
    teaches: 'Writing k6 tests in TypeScript, thresholds, arrival-rate scenarios, and reading their results in Prometheus.',
    labs: [
      { number: 5, slug: 'k6-first-test', title: 'A first k6 test', summary: 'Write a k6 TypeScript test with thresholds that remote-writes its metrics to Prometheus.' },
      { number: 6, slug: 'breaking-point', title: 'Breaking point', summary: 'Ramp the arrival rate until the error budget breaks, and report the rate.' },
    ],
  },
  {
    id: '04-logs',
    title: 'Logs with Loki',
    teaches: 'Shipping structured logs through a collector, labels versus structured metadata, and LogQL.',
    labs: [
      { number: 7, slug: 'ship-structured-logs', title: 'Ship structured logs', summary: 'Ship JSON logs through the collector with the level searchable, and find the noisiest error route.' },
      { number: 8, slug: 'logql-metrics', title: 'Metrics from logs', summary: 'Turn logs into metrics (error rate per route) and write a Loki alerting or recording rule.' },
    ],
  },
  {
    id: '05-traces',
    title: 'Traces with Tempo',
    teaches: 'Spans, attributes and context propagation, and finding a slow call with TraceQL.',
    labs: [
      { number: 9, slug: 'instrument-a-span', title: 'Instrument a span', summary: 'Add a span and an attribute to a demo-app route (or a collector attribute processor).' },
      { number: 10, slug: 'traceql-investigation', title: 'A TraceQL investigation', summary: 'Use TraceQL to find the slow downstream call behind a latency spike.' },
    ],
  },
  {
    id: '06-correlation',
    title: 'Correlating signals',
    teaches: 'Jumping between metrics, logs and traces: derived fields, trace-to-logs, exemplars and span metrics.',
    labs: [
      { number: 11, slug: 'logs-to-traces', title: 'From logs to traces', summary: 'Wire Loki derived fields and Tempo trace-to-logs, and show exemplars on a latency panel.' },
      { number: 12, slug: 'span-metrics-service-graph', title: 'Span metrics and the service graph', summary: "Enable Tempo's metrics-generator processors and read the service graph." },
    ],
  },
  {
    id: '07-alerting',
    title: 'Alerting',
    teaches: 'Alert rules with unit tests, and routing, grouping, inhibiting and silencing in Alertmanager.',
    labs: [
      { number: 13, slug: 'alert-rules-with-tests', title: 'Alert rules with tests', summary: 'Write alert rules with promtool unit tests; the injected fault makes one fire.' },
      { number: 14, slug: 'alertmanager-routing', title: 'Alertmanager routing', summary: 'Route alerts by severity and team, group them, inhibit and silence.' },
    ],
  },
  {
    id: '08-dashboards',
    title: 'Dashboards',
    teaches: 'RED dashboards with variables, units and thresholds, kept as code under version control.',
    labs: [
      { number: 15, slug: 'red-dashboard-variables', title: 'A RED dashboard with variables', summary: 'Build a RED dashboard with a route variable and thresholds.' },
      { number: 16, slug: 'dashboards-as-code', title: 'Dashboards as code', summary: 'Provision folders and dashboards from files under version control.' },
    ],
  },
  {
    id: '09-influxdb',
    title: 'InfluxDB',
    teaches: 'Line protocol, InfluxQL, and charting InfluxDB next to Prometheus in Grafana.',
    labs: [
      { number: 17, slug: 'line-protocol-influxql', title: 'Line protocol and InfluxQL', summary: 'Write sensor data in line protocol and query it with InfluxQL.' },
      { number: 18, slug: 'influx-in-grafana', title: 'InfluxDB in Grafana', summary: 'Chart InfluxDB data in Grafana next to Prometheus data.' },
    ],
  },
  {
    id: '10-running-grafana',
    title: 'Running Grafana',
    teaches: "Grafana's own state in PostgreSQL and Redis, teams and folder permissions, and usage data from logs.",
    labs: [
      { number: 19, slug: 'grafana-on-postgres', title: 'Grafana on PostgreSQL', summary: "Confirm Grafana's state lives in PostgreSQL and its cache in Redis; set up teams and folder permissions." },
      { number: 20, slug: 'usage-from-logs', title: 'Usage from logs', summary: 'Turn usage=true log events into a PostgreSQL table and chart it.' },
    ],
  },
  {
    id: '11-collector',
    title: 'The collector',
    teaches: 'One OTLP gateway for three signals: batching, filtering, redaction and sampling.',
    labs: [
      { number: 21, slug: 'one-gateway-three-signals', title: 'One gateway, three signals', summary: 'Route traces, logs and metrics through one OTLP gateway with batching and filtering.' },
      { number: 22, slug: 'collector-processing', title: 'Processing in the collector', summary: 'Redact a sensitive attribute and sample traces.' },
    ],
  },
  {
    id: '12-capstone',
    title: 'Capstone',
    teaches: 'An incident from alert to root cause across all signals, and SLOs with burn-rate alerts.',
    labs: [
      { number: 23, slug: 'incident-checkout-slow', title: 'Incident: checkout is slow', summary: 'Investigate an injected incident from alert to root cause across metrics, logs and traces.' },
      { number: 24, slug: 'slo-burn-rate', title: 'SLO burn-rate alerts', summary: 'Define an SLO with multi-window burn-rate alerts and a dashboard.' },
    ],
  },
];

/** "02-metrics" → "metrics": the URL part, as Docusaurus strips number prefixes from folder names. */
export function moduleSlug(id: string): string {
  return id.replace(/^\d+-/, '');
}
