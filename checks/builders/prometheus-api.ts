/**
 * Objectives on Prometheus's own state: a scrape target is up (and labelled as asked), a rule is loaded and
 * healthy, an alert fires.
 */
import type { Probe } from '../model.ts';
import { engines } from './engines.ts';
import { assertQuery } from '../syntax.ts';
import { formatClock, formatLabels } from './format.ts';
import { ruleLoaded } from './rules.ts';

const client = engines.prometheus;

/** Prometheus's discovery manager sends target updates at most every 5 s; a margin for a busy machine. */
const discoveryDelayMs = 8_000;

/**
 * `target('shop').up()`: Prometheus scrapes at least one target of the job, and all of them are up.
 * `up({ exposing: 'http_server_request_duration_seconds_count{service="shop"}' })` also asks that the job's
 * samples include that series, so a job pointed at another program (a neighbour's port) does not pass.
 */
export function target(job: string) {
  const query = `GET /api/v1/targets (job="${job}")`;
  return {
    up(options: { exposing?: string } = {}): Probe {
      const exposing = options.exposing?.trim();
      return {
        source: 'prometheus',
        query: exposing ? `${query}, then group by (instance) (${exposing}) scraped since the latest reload` : query,
        validate: () => (exposing ? assertQuery('promql', exposing, 'exposing') : undefined),
        async observe(context) {
          const expected = `job="${job}" scraped and up${exposing ? `, exposing ${exposing}` : ''}`;
          const prometheus = client(context);
          // Targets follow a reload within the discovery delay: until it has passed, what the targets list
          // shows may still be the previous configuration's.
          const loadedAt = Date.parse((await prometheus.runtimeInfo()).lastConfigTime);
          const applied = Date.now() - loadedAt > discoveryDelayMs;
          const targets = (await prometheus.targets()).activeTargets.filter((t) => t.labels.job === job);
          if (!applied) return { pass: false, got: `Prometheus is applying the configuration it loaded at ${formatClock(loadedAt)}`, expected };
          // A job without targets once discovery has had its time is not in the configuration: waiting cannot change that.
          if (targets.length === 0) return { pass: false, got: `no scrape job "${job}" in the configuration Prometheus runs`, expected, settled: true };
          const down = targets.filter((t) => t.health !== 'up');
          const got = targets.map((t) => `${t.scrapeUrl} ${t.health}${t.lastError ? ` (${t.lastError})` : ''}`).join('; ');
          if (down.length > 0 || !exposing) return { pass: down.length === 0, got, expected };
          // Every current target must expose it, in a sample scraped since the configuration was loaded.
          const fresh = `group by (instance) ((${exposing}) and timestamp(${exposing}) > ${loadedAt / 1000})`;
          const exposed = new Set(((await prometheus.query(fresh)).result as { metric: Record<string, string> }[]).map((s) => s.metric.instance));
          if (targets.every((t) => exposed.has(t.labels.instance))) return { pass: true, got, expected };
          return { pass: false, got: `${got}, but its samples have no ${exposing} (is it the right program?)`, expected };
        },
      };
    },
  };
}

/**
 * `targetLabels({ shop: { instance: 'shop' }, inventory: { instance: 'inventory' } })`: every target of each
 * job carries these labels after relabelling (the targets API shows them as its series will have them), e.g.
 * an instance renamed from host:port to something a person reads. The labels come from the configuration, so
 * once Prometheus runs it a failure is final.
 */
export function targetLabels(jobs: Record<string, Record<string, string>>): Probe {
  const expected = Object.entries(jobs).map(([job, labels]) => `job="${job}": ${formatLabels(labels)}`).join('; ');
  return {
    source: 'prometheus',
    query: `GET /api/v1/targets: the labels of ${Object.keys(jobs).map((job) => `job="${job}"`).join(', ')}`,
    validate: () => undefined,
    async observe(context) {
      const prometheus = client(context);
      const loadedAt = Date.parse((await prometheus.runtimeInfo()).lastConfigTime);
      if (Date.now() - loadedAt <= discoveryDelayMs) return { pass: false, got: `Prometheus is applying the configuration it loaded at ${formatClock(loadedAt)}`, expected };
      const active = (await prometheus.targets()).activeTargets;
      const seen: string[] = [];
      let pass = true;
      for (const [job, labels] of Object.entries(jobs)) {
        const targets = active.filter((t) => t.labels.job === job);
        if (targets.length === 0) seen.push(`no scrape job "${job}"`);
        for (const t of targets) seen.push(`${t.scrapeUrl}: ${Object.keys(labels).map((name) => `${name}=${JSON.stringify(t.labels[name] ?? '')}`).join(', ')}`);
        pass &&= targets.length > 0 && targets.every((t) => Object.entries(labels).every(([name, value]) => t.labels[name] === value));
      }
      return { pass, got: seen.join('; '), expected, settled: !pass };
    },
  };
}

/** `rule('route:http_requests:rate1m').loaded()`: a recording or alerting rule of that name is loaded and healthy. */
export function rule(name: string) {
  // Prometheus loads rule files as part of the reload that apply sends: a rule absent then stays absent.
  return { loaded: (): Probe => ruleLoaded('prometheus', 'GET /api/v1/rules', name, async (context) => (await client(context).rules()).groups, 'Prometheus', { absentIsSettled: true }) };
}

/**
 * `alert('HighErrorRate').firing()`: Prometheus has the alert in state firing.
 * `alert('SlowBurn').activeWhen(condition)`: at the rule's latest evaluation, the alert is active (pending or
 * firing) exactly when `condition` — the same condition written from raw data — returns something then.
 */
export function alert(name: string) {
  return {
    activeWhen(condition: string): Probe {
      const reference = condition.trim();
      const expected = `${name} active (pending or firing) exactly when ${reference} returns a series, at the rule's latest evaluation`;
      return {
        source: 'prometheus',
        query: `GET /api/v1/rules (alert ${name}) vs ${reference} at its lastEvaluation`,
        validate: () => assertQuery('promql', reference, 'condition'),
        async observe(context) {
          const prometheus = client(context);
          const rules = (await prometheus.rules()).groups.flatMap((g) => g.rules).filter((r) => r.type === 'alerting' && r.name === name);
          if (rules.length === 0) return { pass: false, got: `no alerting rule ${name} loaded`, expected };
          // One evaluation, one timestamp: the rule's state and the condition are read at the same instant.
          const at = Math.min(...rules.map((r) => Date.parse(r.lastEvaluation ?? '')));
          if (!(at > (context.appliedAt ?? 0))) return { pass: false, got: `waiting for ${name}'s first evaluation after your change at ${formatClock(context.appliedAt ?? 0)}`, expected };
          const active = rules.some((r) => r.state === 'pending' || r.state === 'firing');
          const holds = (await prometheus.query(reference, new Date(at))).result.length > 0;
          const got = `${name} ${rules.map((r) => r.state ?? 'inactive').join(', ')} at ${formatClock(at)}; the condition ${holds ? 'holds' : 'does not hold'} then`;
          return { pass: active === holds, got, expected };
        },
      };
    },
    firing(): Probe {
      return {
        source: 'prometheus',
        query: `GET /api/v1/alerts (alertname="${name}")`,
        validate: () => undefined,
        async observe(context) {
          const alerts = (await client(context).alerts()).alerts.filter((a) => a.labels.alertname === name);
          const got = alerts.length ? alerts.map((a) => `${formatLabels(a.labels)} ${a.state}`).join('; ') : 'not pending or firing';
          return { pass: alerts.some((a) => a.state === 'firing'), got, expected: `${name} firing` };
        },
      };
    },
  };
}
