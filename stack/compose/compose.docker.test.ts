/**
 * The compose stack on a real Docker engine: boots every service through the compose driver (building the demo
 * app's image) and sends one sample through each engine and back, then a request through the demo shop (scraped
 * by Prometheus, traced into Tempo) and its log through the lab's log shipper into Loki. Skipped, with the reason
 * in the test names, where no Docker engine answers `docker info`.
 *
 * It never touches a student's stack or the native test stack: its own compose project (own containers and
 * volumes), its own .env and workspace in a temporary directory, and every port published 20000 higher through
 * an override file. It removes its containers and volumes at the end.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerClient } from '../../checks/clients/alertmanager.ts';
import { influxClient } from '../../checks/clients/influxdb.ts';
import { lokiClient } from '../../checks/clients/loki.ts';
import { otlpSender } from '../../checks/clients/otlp.ts';
import { postgresClient } from '../../checks/clients/postgres.ts';
import { prometheusClient } from '../../checks/clients/prometheus.ts';
import { tempoClient } from '../../checks/clients/tempo.ts';
import { applyAlertmanagerConfig } from '../../lifecycle/alertmanager-config.ts';
import { createProgress } from '../../lib/progress.ts';
import type { Endpoints, StackRuntime } from '../runtime.ts';
import { dockerEngineAnswers } from './docker.ts';
import { createComposeRuntime } from './driver.ts';
import { parseEnvFile } from '../secrets.ts';
import { composeFile, composeServices } from './model.ts';
import { engineVersion } from '../versions.ts';

const dockerAvailable = dockerEngineAnswers();
const skipReason = 'no Docker engine answers `docker info`';
/** The test's name, saying why it did not run when it did not. */
const named = (name: string) => (dockerAvailable ? name : `${name} — skipped: ${skipReason}`);
const test = it.skipIf(!dockerAvailable);

const offset = 20_000;
const run = `smoke${Date.now()}`;

/** Polls until `done` accepts what `probe` returns (telemetry arrives late), or fails with the last value seen. */
async function eventually<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (done(value)) return value;
      last = value;
    } catch (error) {
      last = error instanceof Error ? error.message : error;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)?.slice(0, 500)})`);
}

/** One Redis command over RESP, answered by its first reply line. */
function redisCommand(port: number, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(5000, () => socket.destroy(new Error('timed out')));
    socket.once('connect', () => socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`));
    socket.once('data', (data) => {
      resolve(data.toString());
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

describe(named('the compose stack on a real Docker engine'), () => {
  let dir = '';
  let envFile = '';
  let workspace = '';
  let runtime: StackRuntime;
  let env: NodeJS.ProcessEnv = {};
  let endpoints: Endpoints;
  const port = (service: string, name: string) => engineVersion(service).ports[name]! + offset;

  beforeAll(async () => {
    if (!dockerAvailable) return;
    dir = mkdtempSync(join(tmpdir(), 'o11y-compose-test-'));
    envFile = join(dir, '.env');
    workspace = join(dir, 'workspace');
    // Every published port moved up by `offset`, so the test stack fits beside a running lab.
    // Only what publishes ports in compose.yaml: a service in another's network (the alert sink) publishes none.
    const published = Object.entries((parse(readFileSync(composeFile, 'utf8')) as { services: Record<string, { ports?: string[] }> }).services).filter(([, s]) => s.ports?.length);
    const overrides = published
      .map(([name, s]) => `  ${name}:\n    ports: !override\n${s.ports!.map((p) => Number(p.split(':').at(-1))).map((p) => `      - 127.0.0.1:${p + offset}:${p}\n`).join('')}`)
      .join('');
    const overrideFile = join(dir, 'ports.yaml');
    writeFileSync(overrideFile, `services:\n${overrides}`);
    env = { ...process.env, O11Y_LAB_WORKSPACE: workspace, O11Y_LAB_STATE: join(dir, 'state') };
    runtime = createComposeRuntime({
      env,
      composeFile,
      overrideFiles: [overrideFile],
      project: 'o11y-lab-kit-test',
      envFile,
      published: (p) => p + offset,
    });
    const progress = createProgress({ write: (line) => process.stderr.write(`[compose test] ${line}\n`) });
    await runtime.up([], progress);
    endpoints = runtime.endpoints();
  }, 30 * 60_000);

  afterAll(async () => {
    if (dockerAvailable && runtime) {
      await runtime.down(createProgress({ quiet: true }));
      await runtime.reset('all', createProgress({ quiet: true }));
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 5 * 60_000);

  test(named('reports every service ready, on 127.0.0.1 (the lab-only log shipper only once a lab starts it)'), async () => {
    const statuses = await runtime.status();
    expect(statuses.map((s) => s.name).sort()).toEqual(composeServices().filter((s) => !s.labOnly).map((s) => s.name).sort());
    for (const status of statuses) {
      expect(status.state, `${status.name}: ${status.detail ?? ''}`).toBe('ready');
      expect(status.url).toMatch(/^\w+:\/\/127\.0\.0\.1:/);
    }
  });

  test(named('Prometheus: a remote-written sample comes back from a query'), async () => {
    const prometheus = prometheusClient(endpoints.prometheus!);
    await prometheus.remoteWrite([{ labels: { __name__: 'compose_smoke_value', run }, samples: [{ value: 42, timestampMs: Date.now() }] }]);
    const result = await eventually('the sample', () => prometheus.query(`compose_smoke_value{run="${run}"}`), (r) => r.resultType === 'vector' && r.result.length === 1);
    expect(result.resultType === 'vector' && result.result[0]!.value[1]).toBe('42');
  });

  test(named('OpenTelemetry Collector → Tempo: a span sent to the gateway is stored as a trace'), async () => {
    const [span] = await otlpSender('OpenTelemetry Collector', endpoints.otelcol!).sendSpans([{ service: 'compose-smoke', name: `span ${run}` }]);
    const trace = await eventually('the trace', () => tempoClient(endpoints.tempo!).trace(span!.traceId), (t) => (t.batches ?? t.resourceSpans ?? []).length > 0);
    expect(JSON.stringify(trace)).toContain(`span ${run}`);
  });

  test(named('OpenTelemetry Collector → Loki: a log record sent to the gateway comes back from LogQL'), async () => {
    const started = new Date(Date.now() - 60_000);
    await otlpSender('OpenTelemetry Collector', endpoints.otelcol!).sendLogs([{ service: 'compose-smoke', body: `log ${run}` }]);
    const result = await eventually(
      'the log line',
      () => lokiClient(endpoints.loki!).queryRange(`{service_name="compose-smoke"} |= "${run}"`, started, new Date(Date.now() + 60_000)),
      (r) => r.resultType === 'streams' && r.result.some((s) => s.values.length > 0),
    );
    expect(JSON.stringify(result)).toContain(`log ${run}`);
  });

  test(named('Alertmanager: a posted alert is listed'), async () => {
    const alertmanager = alertmanagerClient(endpoints.alertmanager!);
    await alertmanager.postAlerts([{ labels: { alertname: 'ComposeSmoke', run } }]);
    const alerts = await eventually('the alert', () => alertmanager.alerts([`run="${run}"`]), (a) => a.length === 1);
    expect(alerts[0]!.labels.alertname).toBe('ComposeSmoke');
  });

  // Lab 14's path: the sink in Alertmanager's network, and the student's file applied through the kit's copy of
  // Alertmanager's config directory. The receiver URL is the one the lab teaches: 127.0.0.1, as natively.
  test(named("Alertmanager → alert sink: a configuration the kit applies routes a posted alert to http://127.0.0.1:9095/<receiver>"), async () => {
    await runtime.up(['alert-sink'], createProgress({ quiet: true }));
    const file = join(workspace, 'alertmanager', 'alertmanager.yml');
    mkdirSync(dirname(file), { recursive: true });
    const sinkPort = engineVersion('alert-sink').ports.http!;
    writeFileSync(file, `route:\n  receiver: smoke\n  group_by: [alertname]\n  group_wait: 1s\nreceivers:\n  - name: smoke\n    webhook_configs:\n      - url: http://127.0.0.1:${sinkPort}/smoke\n`);
    expect(await applyAlertmanagerConfig(runtime, env)).toBeUndefined();
    await alertmanagerClient(endpoints.alertmanager!).postAlerts([{ labels: { alertname: 'SinkSmoke', run } }]);
    const received = await eventually(
      'the notification at the sink',
      async () => (await (await fetch(`${endpoints['alert-sink']}/notifications`)).json()) as { receiver: string; alerts: { labels: Record<string, string> }[] }[],
      (list) => list.some((n) => n.alerts.some((a) => a.labels.run === run && a.labels.alertname === 'SinkSmoke')),
    );
    expect(received.find((n) => n.alerts.some((a) => a.labels.alertname === 'SinkSmoke'))?.receiver).toBe('smoke');
  });

  test(named('InfluxDB: a point written in line protocol comes back from InfluxQL'), async () => {
    const influx = influxClient(endpoints.influxdb!);
    await influx.query('CREATE DATABASE smoke');
    await influx.write('smoke', [`smoke,run=${run} value=7`]);
    const series = await eventually('the point', () => influx.query(`SELECT value FROM smoke WHERE run = '${run}'`, 'smoke'), (s) => s.length === 1);
    expect(series[0]!.values[0]![1]).toBe(7);
  });

  test(named('PostgreSQL: a row comes back, and Grafana keeps its dashboards there'), async () => {
    const postgres = postgresClient(endpoints.postgres!);
    await postgres.query('CREATE TABLE IF NOT EXISTS smoke (run text)');
    await postgres.query('INSERT INTO smoke VALUES ($1)', [run]);
    expect(await postgres.query('SELECT run FROM smoke WHERE run = $1', [run])).toEqual([{ run }]);
    const grafanaDb = postgresClient(`${endpoints.postgres}/grafana`);
    const [row] = await grafanaDb.query<{ n: number }>("SELECT count(*)::int AS n FROM dashboard WHERE uid IN ('stack-overview', 'demo-app-red')");
    expect(row!.n).toBe(2);
  });

  test(named('Redis: a key set is read back'), async () => {
    const resp = port('redis', 'resp');
    expect(await redisCommand(resp, 'SET', `smoke:${run}`, 'ok')).toBe('+OK\r\n');
    expect(await redisCommand(resp, 'GET', `smoke:${run}`)).toBe('$2\r\nok\r\n');
  });

  test(named('Grafana: healthy on PostgreSQL, closed to anonymous users, and querying Prometheus through its datasource'), async () => {
    const grafana = endpoints.grafana!;
    const health = (await (await fetch(`${grafana}/api/health`)).json()) as { database: string };
    expect(health.database).toBe('ok');
    expect((await fetch(`${grafana}/api/dashboards/uid/stack-overview`)).status).toBe(401);
    const password = parseEnvFile(readFileSync(envFile, 'utf8')).get('GF_SECURITY_ADMIN_PASSWORD')!;
    const auth = { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` };
    const datasources = (await (await fetch(`${grafana}/api/datasources`, { headers: auth })).json()) as { uid: string }[];
    expect(datasources.map((d) => d.uid).sort()).toEqual(['alertmanager', 'influxdb', 'loki', 'postgres', 'prometheus', 'tempo']);
    const body = await eventually(
      'the sample through Grafana',
      async () => {
        const response = await fetch(`${grafana}/api/ds/query`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ from: 'now-5m', to: 'now', queries: [{ refId: 'A', datasource: { uid: 'prometheus' }, expr: `compose_smoke_value{run="${run}"}`, instant: true }] }),
        });
        return response.text();
      },
      (text) => text.includes(run) && text.includes('42'),
    );
    expect(body).toContain('"refId":"A"');
  });

  test(named('node_exporter and cAdvisor: serve their metrics, and Prometheus scrapes cAdvisor (a compose-only job)'), async () => {
    expect(await (await fetch(endpoints.node_exporter!)).text()).toContain('node_cpu_seconds_total');
    expect(await (await fetch(endpoints.cadvisor!)).text()).toContain('machine_cpu_cores');
    const prometheus = prometheusClient(endpoints.prometheus!);
    const up = await eventually('cAdvisor scraped', () => prometheus.query('up{job="cadvisor"}'), (r) => r.resultType === 'vector' && r.result.length === 1 && r.result[0]!.value[1] === '1');
    expect(up.resultType).toBe('vector');
  });

  test(named('the demo shop (our own image): answers /products, Prometheus scrapes the request, and its span reaches Tempo'), async () => {
    // As a student does in lab 4: a scrape job in the workspace, then a reload.
    mkdirSync(join(workspace, 'prometheus', 'scrape'), { recursive: true });
    writeFileSync(
      join(workspace, 'prometheus', 'scrape', 'shop.yml'),
      `scrape_configs:\n  - job_name: shop\n    static_configs:\n      - targets: ['shop:${engineVersion('shop').ports.http}']\n`,
    );
    const prometheus = prometheusClient(endpoints.prometheus!);
    await prometheus.reload();
    // The request continues a trace of ours, so its spans can be found by id.
    const traceId = randomBytes(16).toString('hex');
    const response = await fetch(`${endpoints.shop}/products`, { headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as unknown[]).length).toBeGreaterThan(0);
    const scraped = await eventually(
      'the request in Prometheus',
      () => prometheus.query('sum(http_server_request_duration_seconds_count{job="shop", service="shop", route="/products"})'),
      (r) => r.resultType === 'vector' && r.result.length === 1 && Number(r.result[0]!.value[1]) >= 1,
    );
    expect(scraped.resultType).toBe('vector');
    // The shop's server span, and its call to the inventory service.
    const trace = await eventually('the shop trace', () => tempoClient(endpoints.tempo!).trace(traceId), (t) => JSON.stringify(t).includes('/products') && JSON.stringify(t).includes('inventory'));
    expect(JSON.stringify(trace)).toContain('GET /products');
  });

  test(named("the log shipper (lab profile): started by name, it reads the shop's log file from the shared volume into Loki"), async () => {
    const started = new Date(Date.now() - 60_000);
    const shipperService = `compose-smoke-shipper-${run}`;
    mkdirSync(join(workspace, 'otelcol'), { recursive: true });
    // The student's file, as lab 7's solution writes it, with a name of this run's own.
    writeFileSync(
      join(workspace, 'otelcol', 'log-shipper.yaml'),
      [
        'receivers:',
        '  file_log/shop:',
        "    include: ['${env:SHOP_LOG_FILE}']",
        '    start_at: beginning',
        '    resource:',
        `      service.name: ${shipperService}`,
        '    operators:',
        '      - type: json_parser',
        'exporters:',
        '  otlp_http/loki:',
        '    endpoint: ${env:LOKI_OTLP_ENDPOINT}',
        'extensions:',
        '  health_check:',
        '    endpoint: ${env:SHIPPER_HEALTH_ENDPOINT}',
        'service:',
        '  extensions: [health_check]',
        '  telemetry:',
        '    metrics:',
        '      level: none',
        '  pipelines:',
        '    logs:',
        '      receivers: [file_log/shop]',
        '      exporters: [otlp_http/loki]',
        '',
      ].join('\n'),
    );
    const [status] = await runtime.up(['log-shipper'], createProgress({ quiet: true }));
    expect(status).toMatchObject({ name: 'log-shipper', state: 'ready' });
    expect((await runtime.status()).find((s) => s.name === 'log-shipper')?.state).toBe('ready');
    expect((await fetch(`${endpoints.shop}/products`)).status).toBe(200);
    const result = await eventually(
      "the shop's log line in Loki",
      () => lokiClient(endpoints.loki!).queryRange(`{service_name="${shipperService}"} | route="/products"`, started, new Date(Date.now() + 60_000)),
      (r) => r.resultType === 'streams' && r.result.some((s) => s.values.length > 0),
    );
    expect(JSON.stringify(result)).toContain('request handled');
  });
});
