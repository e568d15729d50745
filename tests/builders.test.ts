/**
 * Each objective builder against the real engines: it passes when the data is there, fails with evidence
 * when it is not, and ends in `error` — with the engine and URL named — when its engine does not answer.
 */
import { randomUUID } from 'node:crypto';
import { type AddressInfo, createServer } from 'node:net';
import { describe, expect, inject, it } from 'vitest';
import { alertmanagerClient } from '../checks/clients/alertmanager.ts';
import { influxClient } from '../checks/clients/influxdb.ts';
import { lokiClient } from '../checks/clients/loki.ts';
import { otlpSender } from '../checks/clients/otlp.ts';
import { postgresClient } from '../checks/clients/postgres.ts';
import { prometheusClient } from '../checks/clients/prometheus.ts';
import { appFault, influxql, logql, promql, recorded, silence, sql, traceql, target } from '../checks/index.ts';
import type { CheckContext, Objective, Probe } from '../checks/model.ts';
import { runObjectives } from '../checks/runner.ts';
import { port } from '../stack/versions.ts';
import { needsEngines, needsServices } from './support/engines.ts';
import { testWorkspaceDir } from './support/stack.ts';

/** A loopback port nobody listens on: bound by us for a moment, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = server.address() as AddressInfo;
      server.close(() => resolve(free));
    });
  });
}

const endpoints = inject('endpoints');
const context: CheckContext = { endpoints, workspace: testWorkspaceDir };
const id = randomUUID().slice(0, 8);
const lab = { number: 0, slug: 'builders', title: 'builders' };

/** Runs one probe as an objective, with a short deadline. */
async function grade(check: Probe, deadlineMs = 30_000, ctx = context) {
  const objective: Objective = { id: 'o', title: 'objective', points: 1, hint: 'hint', check, deadlineMs };
  const report = await runObjectives(lab, [objective], ctx);
  return report.objectives[0]!;
}

describe('promql', () => {
  needsEngines('prometheus', 'node_exporter');
  it('passes on seeded data and fails with evidence on missing data', async () => {
    await prometheusClient(endpoints.prometheus!).remoteWrite([{ labels: { __name__: 'builder_test_value', run: id }, samples: [{ value: 7, timestampMs: Date.now() }] }]);
    expect((await grade(promql(`builder_test_value{run="${id}"}`).value('== 7'))).outcome).toBe('pass');
    expect((await grade(promql(`builder_test_value{run="${id}"}`).count('== 1'))).outcome).toBe('pass');
    const missing = await grade(promql(`builder_test_value{run="not-${id}"}`).value('> 0'), 1500);
    expect(missing).toMatchObject({ outcome: 'fail', evidence: { got: 'no series', expected: 'every value > 0' }, hint: 'hint' });
    const wrong = await grade(promql(`builder_test_value{run="${id}"}`).value('> 10'), 1500);
    expect(wrong.evidence!.got).toContain('7');
  });

  it('target(job).up() sees a scraped job and refuses an unknown one', async () => {
    expect((await grade(target('node').up())).outcome).toBe('pass');
    // Once discovery has had its time after the latest reload, an unknown job fails at once (settled).
    const unknown = await grade(target('no-such-job').up(), 12_000);
    expect(unknown).toMatchObject({ outcome: 'fail', cause: 'settled', evidence: { got: 'no scrape job "no-such-job" in the configuration Prometheus runs' } });
  });
});

describe('recorded(…).near', () => {
  needsServices('prometheus', 'shop');
  it('compares the latest current sample with what setup injected, once the window holds only the fault', async () => {
    const setFaults = (faults: object) => fetch(`${endpoints.shop}/admin/faults`, { method: 'PUT', body: JSON.stringify(faults) });
    const write = (name: string, value: number, timestampMs: number) => prometheusClient(endpoints.prometheus!).remoteWrite([{ labels: { __name__: name, run: id }, samples: [{ value, timestampMs }] }]);
    const now = Date.now();
    await setFaults({ '/checkout': { errorRate: 0.45 } });
    try {
      await write('builder_burn_rate', 470, now);
      await write('builder_burn_rate_wrong', 0.45 / 0.999, now);
      const truth = appFault('shop', '/checkout').burnRate(0.001);
      const options = { within: 0.25, windowMs: 60_000 };
      const started = { ...context, appliedAt: now - 1000, labStartedAt: now - 120_000 };
      expect(await grade(recorded(`builder_burn_rate{run="${id}"}`).near(truth, options), 5000, started)).toMatchObject({ outcome: 'pass' });
      // Off by 1000×: a different number, not noise: it fails at once.
      expect(await grade(recorded(`builder_burn_rate_wrong{run="${id}"}`).near(truth, options), 5000, started)).toMatchObject({ outcome: 'fail', cause: 'settled' });
      // The lab started 10 s before the sample: its 1-minute window still holds traffic from before the fault.
      const young = await grade(recorded(`builder_burn_rate{run="${id}"}`).near(truth, options), 1500, { ...started, labStartedAt: now - 10_000 });
      expect(young).toMatchObject({ outcome: 'fail', cause: 'deadline' });
      expect(young.evidence!.got).toMatch(/^waiting until your window holds only traffic since the lab started/);
    } finally {
      await setFaults({});
    }
  });
});

describe('logql', () => {
  needsEngines('loki');
  it('counts and searches lines', async () => {
    await lokiClient(endpoints.loki!).push([{ labels: { service_name: 'builder-test' }, lines: [{ time: new Date(), line: `timeout while calling inventory ${id}` }] }]);
    expect((await grade(logql(`{service_name="builder-test"} |= "${id}"`).lines('>= 1'))).outcome).toBe('pass');
    expect((await grade(logql(`{service_name="builder-test"}`).contains(`timeout while calling inventory ${id}`))).outcome).toBe('pass');
    const none = await grade(logql(`{service_name="builder-test"} |= "absent-${id}"`).lines('>= 1'), 1500);
    expect(none).toMatchObject({ outcome: 'fail', evidence: { got: '0 lines in the last 15m' } });
  });
});

describe('traceql', () => {
  needsEngines('tempo');
  it('finds spans by attribute, and none for another value', async () => {
    await otlpSender('Tempo', `http://127.0.0.1:${port('tempo', 'otlp_http')}`).sendSpans([{ service: 'builder-test', name: 'GET /x', attributes: { run: id } }]);
    expect((await grade(traceql(`{ span.run = "${id}" }`).spans('>= 1'), 60_000)).outcome).toBe('pass');
    expect((await grade(traceql(`{ span.run = "absent-${id}" }`).traces('>= 1'), 1500)).outcome).toBe('fail');
  });
});

describe('silence', () => {
  needsEngines('alertmanager');
  it('exists only after one is created', async () => {
    const matchers = { alertname: 'BuilderTest', run: id };
    expect((await grade(silence(matchers).exists(), 1500)).outcome).toBe('fail');
    const now = Date.now();
    await alertmanagerClient(endpoints.alertmanager!).createSilence({
      matchers: Object.entries(matchers).map(([name, value]) => ({ name, value, isRegex: false, isEqual: true })),
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      createdBy: 'test',
      comment: 'builder test',
    });
    expect((await grade(silence(matchers).exists())).outcome).toBe('pass');
  });
});

describe('sql and influxql', () => {
  needsEngines('postgres', 'influxdb');
  it('count rows', async () => {
    await postgresClient(endpoints.postgres!).query('CREATE TABLE IF NOT EXISTS builder_test (run text)');
    await postgresClient(endpoints.postgres!).query('INSERT INTO builder_test VALUES ($1)', [id]);
    expect((await grade(sql(`SELECT * FROM builder_test WHERE run = '${id}'`).rows('== 1'))).outcome).toBe('pass');
    expect((await grade(sql(`SELECT * FROM builder_test WHERE run = 'x${id}'`).rows('>= 1'), 1500)).evidence!.got).toBe('0 rows');

    const influx = influxClient(endpoints.influxdb!);
    await influx.query('CREATE DATABASE builder_test');
    await influx.write('builder_test', [`reading,run=r${id} value=1`]);
    expect((await grade(influxql(`SELECT * FROM reading WHERE run = 'r${id}'`, 'builder_test').rows('>= 1'))).outcome).toBe('pass');
    // Row filters: a field written as a string is not a float.
    await influx.write('builder_test', [`typed,run=r${id} label="41.5",number=41.5`]);
    const fields = influxql('SHOW FIELD KEYS FROM typed', 'builder_test');
    expect((await grade(fields.rows('== 1', { where: { fieldKey: 'number', fieldType: 'float' } }))).outcome).toBe('pass');
    expect((await grade(fields.rows('== 1', { where: { fieldKey: 'label', fieldType: 'float' } }), 1500)).outcome).toBe('fail');
  });
});

describe('an engine that does not answer', () => {
  it('ends the objective at once with error, naming the engine and its URL', async () => {
    const nothing = `http://127.0.0.1:${await closedPort()}`;
    const down: CheckContext = { ...context, endpoints: { ...endpoints, prometheus: nothing, loki: nothing } };
    const started = Date.now();
    const result = await grade(promql('up').value('> 0'), 30_000, down);
    expect(result).toMatchObject({ outcome: 'error', message: `Prometheus is not reachable at ${nothing}/api/v1/query (connection refused)` });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await grade(logql('{a="b"}').lines('>= 1'), 30_000, down)).message).toContain(`Loki is not reachable at ${nothing}/loki/api/v1/query_range`);
  });
});
