/**
 * Lab 14's world: five services of two teams, the alerts the setup posts for them, and what a correct routing
 * tree does with each one. Which service burns (critical and warning at once), which one restarts as well, and
 * which one is in planned maintenance is drawn per student; the drawn facts travel with the posted alerts
 * (their labels and a maintenance annotation), so the checks read them back from Alertmanager and a restarted
 * setup keeps them.
 */
import type { CheckContext } from '../api.ts';
import { postedAlerts, type Labels, type SinkExpectation, type StateExpectation } from '../api.ts';

export const teams: Record<string, string[]> = {
  storefront: ['checkout', 'catalog', 'search'],
  payments: ['payments-api', 'ledger'],
};
const services = Object.values(teams).flat();
const teamOf = (service: string) => Object.entries(teams).find(([, owned]) => owned.includes(service))?.[0];

/** The annotation that marks the alerts the lab posted (routing cannot change annotations). */
export const marker = { annotation: 'posted_by', value: 'o11y-lab-kit lab 14 setup' };

export interface Draw {
  /** Fails hard: a critical HighErrorRate and a warning HighLatency at once (the inhibition case). */
  burning: string;
  /** Also restarts: two warnings that belong in one notification (the grouping case). */
  restarting: string;
  /** In planned maintenance until `until` (ms): the silence case. */
  maintenance: string;
  until: number;
}

const hour = 3_600_000;

export function draw(random: () => number = Math.random, now = Date.now()): Draw {
  const pool = [...services];
  const take = () => pool.splice(Math.floor(random() * pool.length), 1)[0]!;
  // The window closes on the hour, two to three hours from now: longer than amtool's default silence (1 h).
  return { burning: take(), restarting: take(), maintenance: take(), until: Math.ceil(now / hour) * hour + 2 * hour };
}

export interface PostedAlert {
  labels: Labels;
  annotations: Record<string, string>;
}

/** The alerts of a draw, as setup posts them. */
export function alertsOf(d: Draw): PostedAlert[] {
  const alert = (labels: Labels, summary: string, extra: Record<string, string> = {}): PostedAlert => ({ labels, annotations: { summary, ...extra, [marker.annotation]: marker.value } });
  const until = new Date(d.until).toISOString().replace('.000', '');
  const alerts = services.map((service) =>
    alert({ alertname: 'HighLatency', service, team: teamOf(service)!, severity: 'warning' }, `${service}: p99 latency above 1 s`, service === d.maintenance ? { maintenance_until: until, description: `${service} is in planned maintenance until ${until}: silence its alerts until then` } : {}),
  );
  alerts.push(alert({ alertname: 'HighErrorRate', service: d.burning, team: teamOf(d.burning)!, severity: 'critical' }, `${d.burning}: more than 5 % of requests fail`));
  alerts.push(alert({ alertname: 'PodRestarting', service: d.restarting, team: teamOf(d.restarting)!, severity: 'warning' }, `${d.restarting}: a pod restarted 3 times in 10 minutes`));
  // No team owns the host: it goes to the default receiver.
  alerts.push(alert({ alertname: 'HostDiskFilling', instance: 'db-host-1', severity: 'warning' }, 'db-host-1: disk 90 % full'));
  return alerts;
}

/** The draw, read back from alerts the lab posted earlier (undefined when there are none). */
export function drawOf(alerts: PostedAlert[]): Draw | undefined {
  const burning = alerts.find((a) => a.labels.severity === 'critical')?.labels.service;
  const restarting = alerts.find((a) => a.labels.alertname === 'PodRestarting')?.labels.service;
  const maintenance = alerts.find((a) => a.annotations.maintenance_until);
  if (!burning || !restarting || !maintenance) return undefined;
  return { burning, restarting, maintenance: maintenance.labels.service!, until: Date.parse(maintenance.annotations.maintenance_until!) };
}

/** The receivers the routing tree must send an alert to: critical pages (and still reaches its team), team by team, the rest to default. */
export function receiversOf(labels: Labels): string[] {
  const team = labels.team && teams[labels.team] ? labels.team : undefined;
  if (labels.severity === 'critical') return team ? ['pager', team] : ['pager', 'default'];
  return [team ?? 'default'];
}

// The truths the objectives grade against, from the alerts in Alertmanager now.

const posted = async (context: CheckContext) => {
  const alerts = await postedAlerts(context, marker);
  const d = drawOf(alerts);
  return d ? { alerts, draw: d } : undefined;
};

/** Warnings of a service that also has a critical alert: the inhibition mutes them. */
const inhibitedOf = (alerts: PostedAlert[]) => alerts.filter((a) => a.labels.severity === 'warning' && alerts.some((c) => c.labels.severity === 'critical' && c.labels.service === a.labels.service)).map((a) => a.labels);
const silencedOf = (alerts: PostedAlert[], d: Draw) => alerts.filter((a) => a.labels.service === d.maintenance).map((a) => a.labels);

export const routeCases = async (context: CheckContext) => (await posted(context))?.alerts.map((a) => ({ labels: a.labels, receivers: receiversOf(a.labels) }));

/** Each receiver's alerts, grouped by service for the team receivers; the muted ones left to their own objectives. */
function deliveries(alerts: PostedAlert[], d: Draw, receivers: string[]): SinkExpectation {
  const ignore = [...inhibitedOf(alerts), ...silencedOf(alerts, d)];
  const muted = new Set(ignore.map((l) => JSON.stringify(l)));
  const expected: Record<string, Labels[][]> = {};
  for (const receiver of receivers) {
    const mine = alerts.filter((a) => !muted.has(JSON.stringify(a.labels)) && receiversOf(a.labels).includes(receiver)).map((a) => a.labels);
    const byService = new Map<string, Labels[]>();
    for (const labels of mine) byService.set(labels.service ?? labels.instance ?? '', [...(byService.get(labels.service ?? labels.instance ?? '') ?? []), labels]);
    expected[receiver] = [...byService.values()];
  }
  return { receivers: expected, ignore, posted: alerts.map((a) => a.labels) };
}

export const teamDeliveries = async (context: CheckContext) => {
  const p = await posted(context);
  return p && deliveries(p.alerts, p.draw, [...Object.keys(teams), 'default']);
};
export const teamGroups = async (context: CheckContext) => {
  const p = await posted(context);
  return p && deliveries(p.alerts, p.draw, Object.keys(teams));
};
export const pages = async (context: CheckContext) => {
  const p = await posted(context);
  return p && deliveries(p.alerts, p.draw, ['pager']);
};
export const inhibition = async (context: CheckContext): Promise<StateExpectation | undefined> => {
  const p = await posted(context);
  return p && { alerts: p.alerts, muted: inhibitedOf(p.alerts) };
};
export const maintenance = async (context: CheckContext): Promise<StateExpectation | undefined> => {
  const p = await posted(context);
  return p && { alerts: p.alerts, muted: silencedOf(p.alerts, p.draw), until: p.draw.until };
};
