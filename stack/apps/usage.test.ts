import { describe, expect, it } from 'vitest';
import { createLogger } from './log.ts';
import { createMetrics } from './metrics.ts';
import { parseUsageBatch, usageRecord, usageRoutes } from './usage.ts';

describe('parseUsageBatch', () => {
  const now = Date.parse('2026-12-03T10:00:00Z');
  it('dates each event when it happened, or now when the client says nothing', () => {
    const batch = parseUsageBatch({ user: 'u-1', plan: 'pro', events: [{ feature: 'search' }, { feature: 'compare', at: '2026-12-03T09:58:30Z' }] }, now);
    expect(batch.events).toEqual([
      { feature: 'search', at: now },
      { feature: 'compare', at: now - 90_000 },
    ]);
  });
  it('refuses what it cannot log as one event line', () => {
    expect(() => parseUsageBatch({ plan: 'pro', events: [{ feature: 'a' }] }, now)).toThrow(/user/);
    expect(() => parseUsageBatch({ user: 'u', plan: 'pro', events: [] }, now)).toThrow(/events/);
    expect(() => parseUsageBatch({ user: 'u', plan: 'pro', events: [{ feature: 'a b' }] }, now)).toThrow(/feature/);
    expect(() => parseUsageBatch({ user: 'u', plan: 'pro', events: [{ feature: 'a', at: '2026-12-03T08:00:00Z' }] }, now)).toThrow(/30 minutes/);
  });
});

describe('usageRecord', () => {
  it('counts events per feature by the time they happened, start inclusive, end exclusive', () => {
    const record = usageRecord(() => 10_000);
    record.add({ feature: 'search', at: 1000 });
    record.add({ feature: 'search', at: 2000 });
    record.add({ feature: 'compare', at: 1500 });
    expect(record.counts(1000, 2000)).toEqual({ search: 1, compare: 1 });
    expect(record.counts(0, 10_000)).toEqual({ search: 2, compare: 1 });
  });
});

describe('POST /usage', () => {
  it('logs one usage=true line per event, with its own event_id and the time it happened, and counts it', async () => {
    const lines: string[] = [];
    const metrics = createMetrics('shop');
    const [post] = usageRoutes(metrics, createLogger('shop', (line) => lines.push(line)));
    const at = new Date(Date.now() - 80_000).toISOString();
    const reply = await post!.handler({ body: { user: 'u-7', plan: 'team', events: [{ feature: 'search' }, { feature: 'search', at }] }, query: new URLSearchParams(), params: [] });
    expect(reply.status).toBe(202);
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.map((r) => [r.usage, r.feature, r.user, r.plan, r.msg])).toEqual([
      [true, 'search', 'u-7', 'team', 'usage event'],
      [true, 'search', 'u-7', 'team', 'usage event'],
    ]);
    expect(records[1]!.time).toBe(at);
    expect(new Set(records.map((r) => r.event_id)).size).toBe(2);
    expect((await metrics.usageEvents.get()).values).toEqual([{ labels: { feature: "search" }, value: 2 }]);
  });
});
