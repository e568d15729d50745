import { describe, expect, it } from 'vitest';
import type { AmAlert, AmSilence } from '../clients/alertmanager.ts';
import { amDuration, judgeDeliveries, judgeStates, notifiedWithin, type SinkNotification } from './alert-routing.ts';

const latency = (service: string) => ({ alertname: 'HighLatency', service, severity: 'warning' });
const restart = (service: string) => ({ alertname: 'PodRestarting', service, severity: 'warning' });
const note = (receiver: string, ...alerts: Record<string, string>[]): SinkNotification => ({ receiver, at: 1, status: 'firing', groupLabels: {}, alerts: alerts.map((labels) => ({ status: 'firing', labels })) });

describe('judgeDeliveries', () => {
  const expectation = { receivers: { storefront: [[latency('search'), restart('search')], [latency('catalog')]] }, ignore: [latency('checkout')] };

  it('passes when every expected group arrived as one notification, in any label order', () => {
    const got = judgeDeliveries(expectation, [note('storefront', restart('search'), { severity: 'warning', service: 'search', alertname: 'HighLatency' }), note('storefront', latency('catalog'))], 'groups');
    expect(got.pass).toBe(true);
  });

  it('keeps waiting while a group has not arrived whole, and says which', () => {
    const got = judgeDeliveries(expectation, [note('storefront', latency('search')), note('storefront', restart('search')), note('storefront', latency('catalog'))], 'groups');
    expect(got).toMatchObject({ pass: false });
    expect(got.settled).toBeUndefined();
    expect(got.got).toContain('HighLatency/search + PodRestarting/search together');
    // Each alert did arrive, so the alerts mode is satisfied.
    expect(judgeDeliveries(expectation, [note('storefront', latency('search')), note('storefront', restart('search')), note('storefront', latency('catalog'))], 'alerts').pass).toBe(true);
  });

  it('fails at once when one notification mixes two groups', () => {
    const got = judgeDeliveries(expectation, [note('storefront', latency('search'), restart('search'), latency('catalog'))], 'groups');
    expect(got).toMatchObject({ pass: false, settled: true });
    expect(got.got).toContain('in one notification');
  });

  it("fails at once when a receiver gets an alert that is not its own, but not for an ignored one", () => {
    const twoTeams = { ...expectation, receivers: { ...expectation.receivers, payments: [[latency('ledger')]] } };
    expect(judgeDeliveries(twoTeams, [note('storefront', latency('ledger'))], 'alerts')).toMatchObject({ pass: false, settled: true, got: 'storefront got HighLatency/ledger' });
    const ignored = judgeDeliveries(expectation, [note('storefront', latency('search'), restart('search'), latency('checkout')), note('storefront', latency('catalog'))], 'groups');
    expect(ignored.pass).toBe(true);
  });

  it("does not judge alerts the lab did not post (another lab's rules, still firing), wherever they arrive", () => {
    const elsewhere = { alertname: 'ShopHighErrorRate', severity: 'page', route: '/checkout' };
    const got = judgeDeliveries(expectation, [note('storefront', latency('search'), restart('search'), elsewhere), note('storefront', latency('catalog'))], 'groups');
    expect(got.pass).toBe(true);
    expect(judgeDeliveries(expectation, [note('storefront', latency('search'), restart('search'), latency('catalog'), elsewhere)], 'alerts').pass).toBe(true);
  });

  it('still judges every alert the lab posted, at a receiver graded alone: a warning at the pager offends', () => {
    const pager = { receivers: { pager: [[{ alertname: 'Down', service: 'search', severity: 'critical' }]] }, posted: [latency('search'), { alertname: 'Down', service: 'search', severity: 'critical' }] };
    expect(judgeDeliveries(pager, [note('pager', { alertname: 'Down', service: 'search', severity: 'critical' }, latency('search'))], 'alerts')).toMatchObject({ pass: false, settled: true, got: 'pager got HighLatency/search' });
  });

  it('reads only firing alerts: a resolved one neither counts nor offends', () => {
    const resolved: SinkNotification = { ...note('storefront', latency('ledger')), alerts: [{ status: 'resolved', labels: latency('ledger') }] };
    expect(judgeDeliveries({ receivers: { storefront: [[latency('catalog')]] } }, [resolved], 'alerts')).toMatchObject({ pass: false });
    expect(judgeDeliveries({ receivers: { storefront: [[latency('catalog')]] } }, [resolved], 'alerts').settled).toBeUndefined();
  });
});

describe('judgeStates', () => {
  const alert = (labels: Record<string, string>, inhibitedBy: string[] = [], silencedBy: string[] = []): AmAlert => ({ labels, annotations: {}, startsAt: '', endsAt: '', receivers: [], status: { state: inhibitedBy.length || silencedBy.length ? 'suppressed' : 'active', inhibitedBy, silencedBy } });
  const silence = (id: string, endsAt: string): AmSilence => ({ id, matchers: [], startsAt: '2026-12-02T04:00:00Z', endsAt, createdBy: 'x', comment: '', status: { state: 'active' } });

  it('passes when exactly the expected alerts are inhibited', () => {
    const alerts = [alert(latency('search'), ['fp1']), alert(latency('catalog'))];
    expect(judgeStates({ alerts, muted: [latency('search')] }, 'inhibited').pass).toBe(true);
  });

  it('fails at once when another alert is muted too, and waits while the expected one is not yet', () => {
    expect(judgeStates({ alerts: [alert(latency('search'), ['a']), alert(latency('catalog'), ['a'])], muted: [latency('search')] }, 'inhibited')).toMatchObject({ pass: false, settled: true, got: 'also inhibited: HighLatency/catalog' });
    const waiting = judgeStates({ alerts: [alert(latency('search')), alert(latency('catalog'))], muted: [latency('search')] }, 'inhibited');
    expect(waiting).toMatchObject({ pass: false, got: 'not inhibited: HighLatency/search' });
    expect(waiting.settled).toBeUndefined();
  });

  it('counts only the given silences, and fails one that ends before the window closes', () => {
    const until = Date.parse('2026-12-02T07:00:00Z');
    const alerts = [alert(latency('search'), [], ['s1']), alert(latency('catalog'))];
    expect(judgeStates({ alerts, muted: [latency('search')], until }, 'silenced', [silence('s1', '2026-12-02T07:00:00Z')]).pass).toBe(true);
    expect(judgeStates({ alerts, muted: [latency('search')], until }, 'silenced', [silence('s1', '2026-12-02T05:00:00Z')])).toMatchObject({ pass: false, settled: true });
    // A silence from before the lab started is not passed in: the alert counts as not silenced.
    expect(judgeStates({ alerts, muted: [latency('search')], until }, 'silenced', [])).toMatchObject({ pass: false, got: 'not silenced: HighLatency/search' });
  });
});

describe('notifiedWithin', () => {
  it("reads Alertmanager's durations", () => {
    expect([amDuration('1s'), amDuration('1h30m'), amDuration('500ms'), amDuration('soon'), amDuration(undefined)]).toEqual([1000, 5_400_000, 500, undefined, undefined]);
  });

  it('adds the longest wait, interval and repeat of the tree, inherited or defaulted, and some slack', () => {
    expect(notifiedWithin('route:\n  group_wait: 1s\n  group_interval: 2s\n  repeat_interval: 5s\n  routes:\n    - receiver: a\n')).toBe(1000 + 2000 + 5000 + 3000);
    expect(notifiedWithin('route:\n  group_wait: 1s\n  group_interval: 2s\n  repeat_interval: 5s\n  routes:\n    - repeat_interval: 1h\n')).toBe(1000 + 2000 + 3_600_000 + 3000);
    expect(notifiedWithin('route:\n  receiver: x\n')).toBe(30_000 + 300_000 + 4 * 3_600_000 + 3000);
  });
});
