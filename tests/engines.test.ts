/**
 * One round trip per engine of the native stack: write something with the engine's own protocol, read it
 * back with its own query language. Each test uses a unique marker, so reruns against a kept stack never
 * see an earlier run's data.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { alertmanagerClient } from '../checks/clients/alertmanager.ts';
import { influxClient } from '../checks/clients/influxdb.ts';
import { lokiClient, type LokiStream } from '../checks/clients/loki.ts';
import { newTraceId, otlpSender } from '../checks/clients/otlp.ts';
import { postgresClient } from '../checks/clients/postgres.ts';
import { prometheusClient, type PromSample } from '../checks/clients/prometheus.ts';
import { matchedSpans, tempoClient } from '../checks/clients/tempo.ts';
import { runK6 } from '../k6/run.ts';
import { repoRoot } from '../lib/paths.ts';
import { binaryPath } from '../stack/binaries.ts';
import { engineVersion, port } from '../stack/versions.ts';
import { eventually } from '../lib/poll.ts';
import { needsEngines } from './support/engines.ts';

const endpoints = inject('endpoints');
const prometheus = prometheusClient(endpoints.prometheus!);
const loki = lokiClient(endpoints.loki!);
const tempo = tempoClient(endpoints.tempo!);
const marker = () => randomUUID().slice(0, 8);
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
const vector = (r: Awaited<ReturnType<typeof prometheus.query>>) => (r.resultType === 'vector' ? r.result : []) as PromSample[];
const streams = (r: Awaited<ReturnType<typeof loki.queryRange>>) => (r.resultType === 'streams' ? r.result : []) as LokiStream[];

describe('Prometheus', () => {
  needsEngines('prometheus', 'node_exporter');
  it('finds a remote-written sample with PromQL', async () => {
    const id = marker();
    await prometheus.remoteWrite([{ labels: { __name__: 'lab_roundtrip_value', run: id }, samples: [{ value: 42.5, timestampMs: Date.now() }] }]);
    const result = await eventually(() => prometheus.query(`lab_roundtrip_value{run="${id}"}`), (r) => vector(r).length === 1, { what: 'the sample' });
    expect(vector(result)[0]!.value[1]).toBe('42.5');
  });

  it('scrapes node_exporter', async () => {
    const result = await eventually(() => prometheus.query('up{job="node"}'), (r) => vector(r)[0]?.value[1] === '1', { what: 'up{job="node"} == 1' });
    expect(vector(result)).toHaveLength(1);
  });
});

describe('Loki', () => {
  needsEngines('loki');
  it('finds a pushed log line with LogQL', async () => {
    const id = marker();
    await loki.push([{ labels: { service_name: 'roundtrip', source: 'push' }, lines: [{ time: new Date(), line: `hello from ${id}`, metadata: { run: id } }] }]);
    const result = await eventually(() => loki.queryRange(`{service_name="roundtrip"} |= "${id}"`, minutesAgo(5), new Date()), (r) => streams(r).length > 0, { what: 'the pushed line' });
    expect(streams(result)[0]!.values[0]![1]).toBe(`hello from ${id}`);
  });

  it('finds an OTLP log record with LogQL, with its attributes as structured metadata', async () => {
    const id = marker();
    await otlpSender('Loki', `${endpoints.loki}/otlp`).sendLogs([{ service: 'otlp-roundtrip', body: `otlp record ${id}`, severity: 'ERROR', attributes: { run: id } }]);
    const result = await eventually(
      () => loki.queryRange(`{service_name="otlp-roundtrip"} | run="${id}"`, minutesAgo(5), new Date()),
      (r) => streams(r).length > 0,
      { what: 'the OTLP log record' },
    );
    const [stream] = streams(result);
    expect(stream!.values[0]![1]).toBe(`otlp record ${id}`);
  });
});

describe('Tempo', () => {
  needsEngines('tempo', 'prometheus');
  it('finds an OTLP span with TraceQL through the search API', async () => {
    const id = marker();
    const otlp = otlpSender('Tempo', `http://127.0.0.1:${port('tempo', 'otlp_http')}`);
    const [span] = await otlp.sendSpans([{ service: 'tempo-roundtrip', name: 'GET /roundtrip', attributes: { run: id, 'http.route': '/roundtrip' } }]);
    const traces = await eventually(() => tempo.search(`{ span.run = "${id}" }`, minutesAgo(10), new Date(Date.now() + 60_000)), (t) => t.length > 0, { what: 'the span in TraceQL search', timeoutMs: 90_000 });
    expect(traces[0]!.traceID.replace(/^0+/, '')).toBe(span!.traceId.replace(/^0+/, ''));
    expect(matchedSpans(traces[0]!).length).toBeGreaterThan(0);
  });

  it("writes span metrics from its metrics-generator into Prometheus", async () => {
    const service = `spanmetrics-${marker()}`;
    const otlp = otlpSender('Tempo', `http://127.0.0.1:${port('tempo', 'otlp_http')}`);
    await otlp.sendSpans([1, 2, 3].map((i) => ({ service, name: 'GET /items', durationMs: 20 * i })));
    const result = await eventually(
      () => prometheus.query(`traces_spanmetrics_calls_total{service="${service}"}`),
      (r) => vector(r).length > 0,
      { what: 'span metrics for the service', timeoutMs: 90_000 },
    );
    expect(vector(result)[0]!.metric.span_name).toBe('GET /items');
  });
});

describe('OpenTelemetry Collector', () => {
  needsEngines('otelcol', 'tempo', 'loki');
  it('forwards OTLP traces to Tempo', async () => {
    const id = marker();
    const collector = otlpSender('OpenTelemetry Collector', endpoints.otelcol!);
    const traceId = newTraceId();
    await collector.sendSpans([{ service: 'via-collector', name: 'checkout', traceId, attributes: { run: id } }]);
    const traces = await eventually(() => tempo.search(`{ resource.service.name = "via-collector" && span.run = "${id}" }`, minutesAgo(10), new Date(Date.now() + 60_000)), (t) => t.length > 0, {
      what: 'the span sent through the collector',
      timeoutMs: 90_000,
    });
    expect(traces[0]!.traceID.replace(/^0+/, '')).toBe(traceId.replace(/^0+/, ''));
  });

  it('forwards OTLP logs to Loki', async () => {
    const id = marker();
    await otlpSender('OpenTelemetry Collector', endpoints.otelcol!).sendLogs([{ service: 'via-collector', body: `gateway log ${id}` }]);
    const result = await eventually(() => loki.queryRange(`{service_name="via-collector"} |= "${id}"`, minutesAgo(5), new Date()), (r) => streams(r).length > 0, { what: 'the log sent through the collector' });
    expect(streams(result)[0]!.values[0]![1]).toBe(`gateway log ${id}`);
  });
});

describe('Alertmanager', () => {
  needsEngines('alertmanager');
  it('lists a posted alert in its v2 API', async () => {
    const id = marker();
    const alertmanager = alertmanagerClient(endpoints.alertmanager!);
    await alertmanager.postAlerts([{ labels: { alertname: 'RoundTrip', run: id, severity: 'info' }, annotations: { summary: 'test alert' } }]);
    const alerts = await eventually(() => alertmanager.alerts([`run="${id}"`]), (a) => a.length === 1, { what: 'the posted alert' });
    expect(alerts[0]!.labels.alertname).toBe('RoundTrip');
    expect(alerts[0]!.status.state).toBe('active');
  });
});

describe('InfluxDB', () => {
  needsEngines('influxdb');
  it('reads back a line-protocol point with InfluxQL', async () => {
    const influx = influxClient(endpoints.influxdb!);
    const id = marker();
    await influx.query('CREATE DATABASE lab_roundtrip');
    await influx.write('lab_roundtrip', [`room_temperature,room=r${id} celsius=21.5 ${Date.now()}`], 'ms');
    const series = await influx.query(`SELECT celsius FROM room_temperature WHERE room = 'r${id}'`, 'lab_roundtrip');
    expect(series[0]!.values[0]![1]).toBe(21.5);
  });

  it('reports an InfluxQL error as an error, not as an empty result', async () => {
    await expect(influxClient(endpoints.influxdb!).query('SELEC nonsense', 'lab_roundtrip')).rejects.toThrow(/InfluxDB answered/);
  });
});

describe('PostgreSQL', () => {
  needsEngines('postgres');
  it('stores and returns a row', async () => {
    const db = postgresClient(endpoints.postgres!);
    const id = marker();
    await db.query('CREATE TABLE IF NOT EXISTS roundtrip (id text PRIMARY KEY, at timestamptz DEFAULT now())');
    await db.query('INSERT INTO roundtrip (id) VALUES ($1)', [id]);
    const rows = await db.query<{ id: string }>('SELECT id FROM roundtrip WHERE id = $1', [id]);
    expect(rows).toEqual([{ id }]);
  });
});

describe('Redis', () => {
  needsEngines('redis');
  it('stores and returns a key (through redis-cli)', async () => {
    const cli = binaryPath(engineVersion('redis'), 'redis-cli');
    const redisPort = String(port('redis', 'resp'));
    const id = marker();
    const run = promisify(execFile);
    await run(cli, ['-h', '127.0.0.1', '-p', redisPort, 'SET', `lab:roundtrip:${id}`, 'ok', 'EX', '60']);
    const { stdout } = await run(cli, ['-h', '127.0.0.1', '-p', redisPort, 'GET', `lab:roundtrip:${id}`]);
    expect(stdout.trim()).toBe('ok');
  });
});

describe('k6', () => {
  needsEngines('k6', 'prometheus');
  it('runs a TypeScript script whose metrics are remote-written to Prometheus', async () => {
    const testid = `roundtrip-${marker()}`;
    const result = await runK6({
      k6: binaryPath(engineVersion('k6'), 'k6'),
      script: join(repoRoot, 'k6', 'stack-smoke.ts'),
      prometheusUrl: endpoints.prometheus!,
      testid,
      scriptEnv: { TARGET_URL: `${endpoints.prometheus}/-/ready` },
      timeoutMs: 60_000,
    });
    expect(result.exitCode, result.output).toBe(0);
    const requests = await eventually(() => prometheus.query(`sum(k6_http_reqs_total{testid="${testid}"})`), (r) => Number(vector(r)[0]?.value[1] ?? 0) > 0, { what: 'k6_http_reqs_total for the run' });
    expect(Number(vector(requests)[0]!.value[1])).toBeGreaterThan(1);
  });
});
