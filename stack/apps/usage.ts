/**
 * Product-usage events (lab 20): the shop's web client reports which features a signed-in user used, in
 * batches, and the shop logs each event as one JSON line with usage=true, a unique event_id, the feature, the
 * user and their plan. The line's `time` is when the event happened, as the client says — a client that was
 * offline or held its batch sends some events a minute or more after the fact ("late lines").
 *
 *   POST /usage          {"user": "u-17", "plan": "pro", "events": [{"feature": "search", "at": "2026-…Z"}]}
 *   GET  /admin/usage    ?start=<ms>&end=<ms>: the events logged, counted per feature by the time they happened
 *
 * The shop counts them too, as shop_usage_events_total{feature} (its own counter) and, for the last half hour,
 * per event time (GET /admin/usage): the ground truth a lab compares a student's usage table with.
 */
import { randomUUID } from 'node:crypto';
import { HttpFailure, type Route } from './http.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';

/** How far back a client may date an event, and how long the shop remembers events for GET /admin/usage. */
export const usageHorizonMs = 30 * 60_000;

const name = /^[a-z0-9][a-z0-9_.-]{0,63}$/i;

interface Recorded {
  at: number;
  feature: string;
}

/** The events the shop logged, kept for `usageHorizonMs`, in the order they were logged. */
export function usageRecord(now: () => number = Date.now) {
  const events: Recorded[] = [];
  return {
    add(event: Recorded): void {
      events.push(event);
      // Dropped by when they were logged (the array's order), which trails event time by at most the horizon.
      while (events.length > 0 && events[0]!.at < now() - 2 * usageHorizonMs) events.shift();
    },
    /** Events that happened in [start, end), per feature. */
    counts(start: number, end: number): Record<string, number> {
      const counts: Record<string, number> = {};
      for (const event of events) if (event.at >= start && event.at < end) counts[event.feature] = (counts[event.feature] ?? 0) + 1;
      return counts;
    },
  };
}

/** Checks one POST /usage body; returns the events to log, or throws a 400 naming what is wrong. */
export function parseUsageBatch(body: unknown, now: number): { user: string; plan: string; events: Recorded[] } {
  const { user, plan, events } = (body ?? {}) as { user?: unknown; plan?: unknown; events?: unknown };
  if (typeof user !== 'string' || !name.test(user)) throw new HttpFailure(400, 'user must be a short name');
  if (typeof plan !== 'string' || !name.test(plan)) throw new HttpFailure(400, 'plan must be a short name');
  if (!Array.isArray(events) || events.length === 0 || events.length > 50) throw new HttpFailure(400, 'events must be a list of 1 to 50 events');
  return {
    user,
    plan,
    events: events.map((event: { feature?: unknown; at?: unknown }, i) => {
      if (typeof event?.feature !== 'string' || !name.test(event.feature)) throw new HttpFailure(400, `events[${i}].feature must be a short name`);
      const at = event.at === undefined ? now : Date.parse(String(event.at));
      if (!Number.isFinite(at) || at > now + 5_000 || at < now - usageHorizonMs) throw new HttpFailure(400, `events[${i}].at must be a time in the last 30 minutes`);
      return { feature: event.feature, at: Math.min(at, now) };
    }),
  };
}

export function usageRoutes(metrics: Metrics, log: Logger, record = usageRecord()): Route[] {
  return [
    {
      method: 'POST',
      route: '/usage',
      pattern: /^\/usage$/,
      handler: async ({ body }) => {
        const batch = parseUsageBatch(body, Date.now());
        for (const event of batch.events) {
          const eventId = randomUUID();
          log('info', 'usage event', { usage: true, event_id: eventId, feature: event.feature, user: batch.user, plan: batch.plan, time: new Date(event.at).toISOString() });
          metrics.usageEvents.inc({ feature: event.feature });
          record.add(event);
        }
        return { status: 202, body: { accepted: batch.events.length } };
      },
    },
    {
      method: 'GET',
      route: '/admin/usage',
      pattern: /^\/admin\/usage$/,
      handler: async ({ query }) => {
        const start = Number(query.get('start'));
        const end = Number(query.get('end') ?? Date.now());
        if (!Number.isFinite(start) || !Number.isFinite(end)) throw new HttpFailure(400, 'start and end are times in ms since the epoch');
        if (start < Date.now() - usageHorizonMs) throw new HttpFailure(400, 'the shop remembers usage events for the last 30 minutes only');
        return { status: 200, body: { start, end, byFeature: record.counts(start, end) } };
      },
    },
  ];
}
