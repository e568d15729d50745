import { afterAll, describe, expect, it } from 'vitest';
import { recordOf, startAlertSink } from './alert-sink.ts';

describe('the alert sink', () => {
  it('records a webhook payload under its path, with the alerts and grouping it carried', () => {
    const record = recordOf('/payments/', { receiver: 'payments', status: 'firing', groupKey: '{}/{team="payments"}:{service="ledger"}', groupLabels: { service: 'ledger' }, alerts: [{ status: 'firing', labels: { alertname: 'HighLatency' }, fingerprint: 'ab' }] }, 42);
    expect(record).toEqual({ receiver: 'payments', at: 42, amReceiver: 'payments', status: 'firing', groupKey: '{}/{team="payments"}:{service="ledger"}', groupLabels: { service: 'ledger' }, alerts: [{ status: 'firing', labels: { alertname: 'HighLatency' }, fingerprint: 'ab' }] });
  });

  const started = startAlertSink('127.0.0.1', 0);
  afterAll(async () => (await started).close());

  it('answers what arrived since a moment, and refuses what is not JSON', async () => {
    const server = await started;
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const before = Date.now();
    expect((await fetch(`${base}/pager`, { method: 'POST', body: JSON.stringify({ receiver: 'pager', alerts: [{ status: 'firing', labels: { severity: 'critical' } }] }) })).status).toBe(200);
    expect((await fetch(`${base}/pager`, { method: 'POST', body: 'not json' })).status).toBe(400);
    const all = (await (await fetch(`${base}/notifications?since=${before}`)).json()) as { receiver: string }[];
    expect(all.map((n) => n.receiver)).toEqual(['pager']);
    expect(await (await fetch(`${base}/notifications?since=${Date.now() + 1000}`)).json()).toEqual([]);
  });
});
