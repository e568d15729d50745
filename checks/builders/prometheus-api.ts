/**
 * Objectives on Prometheus's own state: a scrape target is up, a rule is loaded and healthy, an alert fires.
 */
import { prometheusClient } from '../clients/prometheus.ts';
import type { CheckContext, Probe } from '../model.ts';
import { formatLabels } from './format.ts';
import { ruleLoaded } from './rules.ts';

const client = (context: CheckContext) => prometheusClient(context.endpoints.prometheus!);

/** `target('shop').up()`: Prometheus scrapes at least one target of the job, and all of them are up. */
export function target(job: string) {
  const query = `GET /api/v1/targets (job="${job}")`;
  return {
    up(): Probe {
      return {
        source: 'prometheus',
        query,
        validate: () => undefined,
        async observe(context) {
          const targets = (await client(context).targets()).activeTargets.filter((t) => t.labels.job === job);
          const down = targets.filter((t) => t.health !== 'up');
          const got = targets.length === 0 ? `no target with job="${job}"` : targets.map((t) => `${t.scrapeUrl} ${t.health}${t.lastError ? ` (${t.lastError})` : ''}`).join('; ');
          return { pass: targets.length > 0 && down.length === 0, got, expected: `job="${job}" scraped and up` };
        },
      };
    },
  };
}

/** `rule('route:http_requests:rate1m').loaded()`: a recording or alerting rule of that name is loaded and healthy. */
export function rule(name: string) {
  return { loaded: (): Probe => ruleLoaded('prometheus', 'GET /api/v1/rules', name, async (context) => (await client(context).rules()).groups, 'Prometheus') };
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
