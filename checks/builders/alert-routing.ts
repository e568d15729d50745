/**
 * Objectives on Alertmanager routing, graded from what really happened to alerts the lab posted itself:
 *
 *   alertmanagerConfig(path).accepted()        amtool check-config accepts the student's file
 *   alertmanagerConfig(path).routes(truth)     amtool config routes test sends each posted alert to its receivers
 *   alertSink().received(truth)                what each webhook receiver of the alert sink got since the apply
 *   alertStates(truth)                         which posted alerts Alertmanager says are inhibited, or silenced
 *
 * The truth is the lab's: a function from the alerts its setup posted (postedAlerts, recognised by an
 * annotation the student's routing cannot change) to what should happen to them. Only the current work counts:
 * the sink's notifications are read from the latest apply on (CheckContext.appliedAt), when Alertmanager
 * reloaded the student's file; silences only from the lab's start in this session.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { AmAlert, AmSilence } from '../clients/alertmanager.ts';
import { requestJson, requestText } from '../clients/http.ts';
import type { CheckContext, Observation, Probe } from '../model.ts';
import { engines, engineUrl } from './engines.ts';
import { formatClock, plural } from './format.ts';
import { settledWhenFailing } from './probe.ts';
import { runTool } from './tool.ts';

export type Labels = Record<string, string>;

/** An alert's identity: its label set, in a canonical order. */
export const alertKey = (labels: Labels) =>
  Object.keys(labels)
    .sort()
    .map((name) => `${name}=${labels[name]}`)
    .join(',');

/** A short name for an alert in evidence: alertname/service, or its labels. */
export const alertName = (labels: Labels) => (labels.alertname ? `${labels.alertname}${labels.service ? `/${labels.service}` : ''}` : alertKey(labels));

/** The alerts in Alertmanager that carry `annotation: value` (how a lab's setup marks the alerts it posted). */
export async function postedAlerts(context: CheckContext, marker: { annotation: string; value: string }): Promise<AmAlert[]> {
  const alerts = await engines.alertmanager(context).alerts();
  return alerts.filter((a) => a.annotations?.[marker.annotation] === marker.value);
}

/** A lab's truth: what should happen, computed from the live data at check time (undefined: not known yet). */
export type RoutingTruth<T> = (context: CheckContext) => Promise<T | undefined>;

// ---------------------------------------------------------------------------------------------------------
// The file: amtool

export function alertmanagerConfig(path: string) {
  const locate = (context: CheckContext) => join(context.workspace, path);
  return {
    /** `amtool check-config` accepts the file: YAML, matchers, receivers that exist, inhibition rules. */
    accepted(): Probe {
      const expected = 'amtool check-config: SUCCESS';
      return settledWhenFailing({
        source: 'workspace',
        query: `amtool check-config workspace/${path}`,
        validate: () => undefined,
        async observe(context) {
          const file = locate(context);
          if (!existsSync(file)) return { pass: false, got: 'no such file', expected };
          const run = await runTool(context, 'amtool', ['check-config', file]);
          const said = `${run.stdout}\n${run.stderr}`.replaceAll(context.workspace, 'workspace').split('\n').map((l) => l.trim()).filter(Boolean);
          return { pass: run.ok, got: run.ok ? said.find((l) => l.includes('receivers')) ?? 'SUCCESS' : said.join('; '), expected };
        },
      });
    },
    /**
     * `amtool config routes test` sends each alert to exactly the receivers the truth names (in any order):
     * the routing tree itself, whatever inhibitions and silences do later.
     */
    routes(truth: RoutingTruth<{ labels: Labels; receivers: string[] }[]>): Probe {
      const query = `amtool config routes test --config.file=workspace/${path} <labels of each posted alert>`;
      return {
        source: 'workspace',
        query,
        validate: () => undefined,
        async observe(context) {
          const file = locate(context);
          const cases = await truth(context);
          const expected = 'each alert routed to its receivers';
          if (!cases?.length) return { pass: false, got: "the lab's alerts are not in Alertmanager (yet)", expected };
          if (!existsSync(file)) return { pass: false, got: 'no such file', expected, settled: true };
          const wrong: string[] = [];
          for (const { labels, receivers } of cases) {
            const run = await runTool(context, 'amtool', ['config', 'routes', 'test', `--config.file=${file}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)], { reads: [file] });
            if (!run.ok) return { pass: false, got: `amtool refused the file: ${run.stderr.trim().split('\n')[0]}`, expected, settled: true };
            const got = run.stdout.trim().split('\n')[0]!.split(',').map((r) => r.trim()).filter(Boolean);
            const same = got.length === receivers.length && receivers.every((r) => got.includes(r));
            if (!same) wrong.push(`${alertName(labels)} → ${got.join(', ') || 'nothing'} (expected ${receivers.join(', ')})`);
          }
          // The file cannot change while a check runs: a wrong route is final.
          return wrong.length === 0
            ? { pass: true, got: `${plural(cases.length, 'alert')} routed as expected`, expected }
            : { pass: false, got: `${wrong.length} of ${plural(cases.length, 'alert')} misrouted: ${wrong.slice(0, 3).join('; ')}${wrong.length > 3 ? ' …' : ''}`, expected, settled: true };
        },
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// What the receivers got: the alert sink (stack/apps/alert-sink.ts)

export interface SinkNotification {
  receiver: string;
  at: number;
  status: string;
  groupLabels: Labels;
  alerts: { status: string; labels: Labels }[];
}

/**
 * What some receivers should get. Each receiver lists groups: the alerts that belong in one notification.
 * `ignore` are alerts that may or may not arrive (another objective grades them: the inhibited, the silenced).
 */
export interface SinkExpectation {
  receivers: Record<string, Labels[][]>;
  ignore?: Labels[];
  /**
   * Every alert the lab itself posted: the ones judged wherever they arrive (a warning at the pager offends even
   * when only the pager is graded). Alerts from elsewhere are not judged. Default: the alerts named above.
   */
  posted?: Labels[];
}

/**
 * Judges notifications against an expectation (pure). In `alerts` mode every expected alert must reach its
 * receiver in some notification; in `groups` mode each expected group must arrive as one notification holding
 * exactly its alerts. In both, an alert a receiver should never get, or (groups) a notification mixing alerts of
 * different groups, is a failure that waiting cannot mend (settled).
 */
export function judgeDeliveries(expectation: SinkExpectation, notifications: SinkNotification[], mode: 'alerts' | 'groups'): Observation {
  const ignored = new Set((expectation.ignore ?? []).map(alertKey));
  // Only the lab's own alerts are judged: alerts from elsewhere (another lab's rules, still loaded and firing on
  // a student's machine) go wherever the student's tree sends them, and are not this lab's business.
  const judged = new Set((expectation.posted ?? [...Object.values(expectation.receivers).flat(2), ...(expectation.ignore ?? [])]).map(alertKey));
  const expected = mode === 'alerts' ? 'every alert at its receivers, and no others' : 'one notification per group, holding exactly its alerts';
  const firing = (n: SinkNotification) =>
    n.alerts.filter((a) => a.status === 'firing' && judged.has(alertKey(a.labels)) && !ignored.has(alertKey(a.labels))).map((a) => a.labels);
  const wrong: string[] = [];
  const missing: string[] = [];
  for (const [receiver, groups] of Object.entries(expectation.receivers)) {
    const got = notifications.filter((n) => n.receiver === receiver).map(firing).filter((alerts) => alerts.length > 0);
    const mine = new Set(groups.flat().map(alertKey));
    const foreign = [...new Set(got.flat().filter((l) => !mine.has(alertKey(l))).map(alertName))];
    if (foreign.length) wrong.push(`${receiver} got ${foreign.join(', ')}`);
    if (mode === 'alerts') {
      const arrived = new Set(got.flat().map(alertKey));
      const absent = groups.flat().filter((l) => !arrived.has(alertKey(l)));
      if (absent.length) missing.push(`${receiver}: ${absent.map(alertName).join(', ')}`);
    } else {
      const groupOf = new Map(groups.flatMap((g, i) => g.map((l) => [alertKey(l), i] as const)));
      for (const alerts of got) {
        const indexes = new Set(alerts.map((l) => groupOf.get(alertKey(l))).filter((i) => i !== undefined));
        if (indexes.size > 1) wrong.push(`${receiver} got ${alerts.map(alertName).join(' + ')} in one notification`);
      }
      for (const group of groups) {
        const keys = new Set(group.map(alertKey));
        const whole = got.some((alerts) => alerts.length === keys.size && alerts.every((l) => keys.has(alertKey(l))));
        if (!whole) missing.push(`${receiver}: ${group.map(alertName).join(' + ')} together`);
      }
    }
  }
  const total = notifications.length;
  if (wrong.length) return { pass: false, got: `${wrong.slice(0, 3).join('; ')}${wrong.length > 3 ? ' …' : ''}`, expected, settled: true };
  if (missing.length) return { pass: false, got: `${plural(total, 'notification')} so far; not yet: ${missing.slice(0, 3).join('; ')}${missing.length > 3 ? ' …' : ''}`, expected };
  return { pass: true, got: `${plural(total, 'notification')}: ${Object.keys(expectation.receivers).join(', ')} as expected`, expected };
}

/** When Alertmanager last loaded its config (ms), from its own metrics. */
async function lastReload(context: CheckContext): Promise<number> {
  const metrics = await requestText('Alertmanager', `${engineUrl(context, 'alertmanager')}/metrics`);
  const line = metrics.split('\n').find((l) => l.startsWith('alertmanager_config_last_reload_success_timestamp_seconds '));
  return line ? Number(line.split(' ')[1]) * 1000 : 0;
}

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** An Alertmanager duration ("1s", "5m", "1h30m") in ms; undefined when it is not one. */
export function amDuration(text: unknown): number | undefined {
  if (typeof text !== 'string' || !/^(\d+(ms|s|m|h|d|w))+$/.test(text.trim())) return undefined;
  return [...text.trim().matchAll(/(\d+)(ms|s|m|h|d|w)/g)].reduce((sum, [, n, unit]) => sum + Number(n) * durationUnits[unit!]!, 0);
}

interface RouteTimings {
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: RouteTimings[];
}

/**
 * How long after a (re)load every group of this config has been notified at least once (pure): the longest
 * group_wait, plus the longest group_interval and repeat_interval (a group notified just before the reload is
 * repeated only after repeat_interval, at the next flush), plus a little slack. Alertmanager's defaults apply
 * where the tree says nothing (30s, 5m, 4h), and a child route inherits its parent's.
 */
export function notifiedWithin(config: string): number {
  const longest = { wait: 0, interval: 0, repeat: 0 };
  const walk = (route: RouteTimings, inherited: { wait: number; interval: number; repeat: number }) => {
    const own = {
      wait: amDuration(route.group_wait) ?? inherited.wait,
      interval: amDuration(route.group_interval) ?? inherited.interval,
      repeat: amDuration(route.repeat_interval) ?? inherited.repeat,
    };
    longest.wait = Math.max(longest.wait, own.wait);
    longest.interval = Math.max(longest.interval, own.interval);
    longest.repeat = Math.max(longest.repeat, own.repeat);
    for (const child of route.routes ?? []) walk(child ?? {}, own);
  };
  walk(((parse(config) ?? {}) as { route?: RouteTimings }).route ?? {}, { wait: 30_000, interval: 300_000, repeat: 4 * 3_600_000 });
  return longest.wait + longest.interval + longest.repeat + 3_000;
}

export function alertSink() {
  return {
    /** What the receivers got since Alertmanager started running the student's current file. */
    received(truth: RoutingTruth<SinkExpectation>, mode: 'alerts' | 'groups' = 'alerts'): Probe {
      return {
        // What Alertmanager delivered: a config it refused fails this at once (CheckContext.refused).
        source: 'alertmanager',
        query: 'GET alert-sink /notifications since your latest change',
        validate: () => undefined,
        async observe(context) {
          const expectation = await truth(context);
          if (!expectation) return { pass: false, got: "the lab's alerts are not in Alertmanager (yet)", expected: 'the lab alerts firing' };
          // From the later of the latest change and Alertmanager's latest (re)load: a restart re-reads the file too.
          const since = Math.max(context.appliedAt ?? 0, await lastReload(context));
          const notifications = await requestJson<SinkNotification[]>('Alert sink', `${engineUrl(context, 'alert-sink')}/notifications?since=${since}`);
          const observation = judgeDeliveries(expectation, notifications, mode);
          if (observation.pass || observation.settled) return observation;
          // What has not arrived once every group had its turn since the change will not arrive: say so now.
          const patience = notifiedWithin((await engines.alertmanager(context).status()).config.original);
          if (Date.now() - since > patience) return { ...observation, got: `${observation.got.replace('not yet', 'never arrived')} (since ${formatClock(since)}, by when every group had been sent)`, settled: true };
          return { ...observation, got: `${observation.got} (since ${formatClock(since)})` };
        },
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// What Alertmanager did with them: inhibited, silenced

/** Which posted alerts should be muted (by `state`); every other posted alert must not be. */
export interface StateExpectation {
  alerts: AmAlert[];
  muted: Labels[];
  /** For silences: the moment the silence must last until (the end of a maintenance window). */
  until?: number;
}

/** Judges Alertmanager's view of the posted alerts (pure): exactly `muted` are inhibited (or silenced). */
export function judgeStates(expectation: StateExpectation, state: 'inhibited' | 'silenced', silences: AmSilence[] = []): Observation {
  const by = (a: AmAlert) => (state === 'inhibited' ? a.status.inhibitedBy : a.status.silencedBy.filter((id) => silences.some((s) => s.id === id)));
  const should = new Set(expectation.muted.map(alertKey));
  const expected = `${state}: ${expectation.muted.map(alertName).join(', ') || 'none'}, and no other alert${expectation.until ? `, until ${new Date(expectation.until).toISOString().slice(0, 16)}Z or later` : ''}`;
  const notMuted = expectation.alerts.filter((a) => should.has(alertKey(a.labels)) && by(a).length === 0).map((a) => alertName(a.labels));
  const tooMuch = expectation.alerts.filter((a) => !should.has(alertKey(a.labels)) && by(a).length > 0).map((a) => alertName(a.labels));
  if (tooMuch.length) return { pass: false, got: `also ${state}: ${tooMuch.join(', ')}`, expected, settled: true };
  if (notMuted.length) return { pass: false, got: `not ${state}: ${notMuted.join(', ')}`, expected };
  if (expectation.until) {
    const ids = new Set(expectation.alerts.flatMap(by));
    const short = silences.filter((s) => ids.has(s.id) && Date.parse(s.endsAt) < expectation.until!);
    if (short.length) return { pass: false, got: `silence ${short[0]!.id.slice(0, 8)} ends ${short[0]!.endsAt.slice(0, 16)}Z, before the window closes`, expected, settled: true };
  }
  return { pass: true, got: `${state}: ${expectation.muted.map(alertName).join(', ')}`, expected };
}

/**
 * `alertStates(truth).inhibited()` / `.silenced()`: Alertmanager's own status of each posted alert. Silences
 * count only when active and created (or changed) since the lab started in this session.
 */
export function alertStates(truth: RoutingTruth<StateExpectation>) {
  const probe = (state: 'inhibited' | 'silenced'): Probe => ({
    source: 'alertmanager',
    query: `GET /api/v2/alerts (status.${state === 'inhibited' ? 'inhibitedBy' : 'silencedBy'} of the lab's alerts)`,
    validate: () => undefined,
    async observe(context) {
      const expectation = await truth(context);
      if (!expectation?.alerts.length) return { pass: false, got: "the lab's alerts are not in Alertmanager (yet)", expected: 'the lab alerts firing' };
      if (state === 'inhibited') {
        // Alertmanager works inhibitions out when asked; only a just-reloaded inhibitor may still be catching up.
        const observation = judgeStates(expectation, state);
        const loaded = Math.max(context.appliedAt ?? 0, await lastReload(context));
        return !observation.pass && Date.now() - loaded > 5_000 ? { ...observation, settled: true } : observation;
      }
      const since = context.labStartedAt ?? 0;
      const silences = (await engines.alertmanager(context).silences()).filter((s) => s.status.state === 'active' && Date.parse(s.updatedAt ?? s.startsAt) >= since);
      // A silence mutes from the moment it is made: what the silences do now is what they do.
      return { ...judgeStates(expectation, state, silences), settled: true };
    },
  });
  return { inhibited: () => probe('inhibited'), silenced: () => probe('silenced') };
}
