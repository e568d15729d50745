/**
 * Lab 14 reference solution: a routing tree that pages on critical alerts and carries on to the team, one route
 * per team grouped by service, an inhibition of a service's warnings by its critical alert, and a silence of the
 * service in maintenance until its window closes, made through Alertmanager's API (amtool silence add does the same).
 */
import { silenceOnly, type LabContext } from '../api.ts';
import { marker, type PostedAlert } from './scenario.ts';

/** The reference routing file, which mistakes.ts varies. */
export const routing = `route:
  receiver: default
  group_by: [alertname, service]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 5s
  routes:
    # Critical alerts page, then carry on down the tree to the team's route.
    - receiver: pager
      matchers: [severity="critical"]
      continue: true
    - receiver: storefront
      matchers: [team="storefront"]
      group_by: [service]
    - receiver: payments
      matchers: [team="payments"]
      group_by: [service]

inhibit_rules:
  # While a service has a critical alert, its warnings stay quiet: for that service only.
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [service]

receivers:
  - name: default
    webhook_configs:
      - url: http://127.0.0.1:9095/default
  - name: pager
    webhook_configs:
      - url: http://127.0.0.1:9095/pager
  - name: storefront
    webhook_configs:
      - url: http://127.0.0.1:9095/storefront
  - name: payments
    webhook_configs:
      - url: http://127.0.0.1:9095/payments
`;

/** The service in maintenance and when its window closes, as its alert's annotation says. */
export async function maintenanceWindow(ctx: LabContext): Promise<{ service: string; team: string; until: string }> {
  const alerts = (await (await fetch(`${ctx.endpoints.alertmanager}/api/v2/alerts`)).json()) as PostedAlert[];
  const alert = alerts.find((a) => a.annotations?.[marker.annotation] === marker.value && a.annotations.maintenance_until);
  if (!alert) throw new Error("the lab's alerts are not in Alertmanager: run npm run lab:start 14 again");
  return { service: alert.labels.service!, team: alert.labels.team!, until: alert.annotations.maintenance_until! };
}

export default async function solution(ctx: LabContext): Promise<void> {
  await ctx.writeFile('alertmanager/alertmanager.yml', routing);
  const window = await maintenanceWindow(ctx);
  await silenceOnly(ctx, { service: window.service }, window.until, 'planned maintenance');
}
