/**
 * Objectives on Prometheus's own state: a scrape target is up, a rule is loaded and healthy, an alert fires.
 */
import type { Probe } from '../model.ts';
import { engines } from './engines.ts';
import { assertQuery } from '../syntax.ts';
import { formatLabels } from './format.ts';
import { ruleLoaded } from './rules.ts';

const client = engines.prometheus;

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
        query: exposing ? `${query}, then group by (job) (${exposing})` : query,
        validate: () => (exposing ? assertQuery('promql', exposing, 'exposing') : undefined),
        async observe(context) {
          const expected = `job="${job}" scraped and up${exposing ? `, exposing ${exposing}` : ''}`;
          const targets = (await client(context).targets()).activeTargets.filter((t) => t.labels.job === job);
          if (targets.length === 0) {
            // Targets appear a few seconds after a reload; the job itself is in the loaded config at once.
            const pools = (await client(context).scrapePools()).scrapePools;
            if (!pools.includes(job)) return { pass: false, got: `no scrape job "${job}" in the loaded configuration (jobs: ${pools.join(', ') || 'none'})`, expected, settled: true };
            return { pass: false, got: `no target with job="${job}" yet`, expected };
          }
          const down = targets.filter((t) => t.health !== 'up');
          const got = targets.map((t) => `${t.scrapeUrl} ${t.health}${t.lastError ? ` (${t.lastError})` : ''}`).join('; ');
          if (down.length > 0 || !exposing) return { pass: down.length === 0, got, expected };
          const jobs = (await client(context).query(`group by (job) (${exposing})`)).result as { metric: Record<string, string> }[];
          if (jobs.some((s) => s.metric.job === job)) return { pass: true, got, expected };
          return { pass: false, got: `${got}, but its samples have no ${exposing} (is it the right program?)`, expected };
        },
      };
    },
  };
}

/** `rule('route:http_requests:rate1m').loaded()`: a recording or alerting rule of that name is loaded and healthy. */
export function rule(name: string) {
  // Prometheus loads rule files as part of the reload that apply sends: a rule absent then stays absent.
  return { loaded: (): Probe => ruleLoaded('prometheus', 'GET /api/v1/rules', name, async (context) => (await client(context).rules()).groups, 'Prometheus', { absentIsSettled: true }) };
}

/** `alert('HighErrorRate').firing()`: Prometheus has the alert in state firing. */
export function alert(name: string) {
  return {
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
