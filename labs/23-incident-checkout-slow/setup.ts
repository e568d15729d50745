/**
 * Lab 23 setup: the incident begins. A share of checkouts is slowed in the shop or in the inventory (drawn per
 * student, incident.ts; kept when the lab is started again, so the truth does not change under a student's
 * window), the demo services' log records go to Loki through the collector (they are the investigation's
 * evidence, so no pipeline of the student's stands between), and Prometheus scrapes the shop. The page that
 * goes off is the starter's rule file, prometheus/rules/on-call.yml.
 */
import { scrapeShopUnlessScraped, type LabContext, type ServiceFaults } from '../api.ts';
import { draw, faultsFor, readIncident } from './incident.ts';

const faultsOf = async (ctx: LabContext, service: 'shop' | 'inventory') => (await (await fetch(`${ctx.endpoints[service]}/admin/faults`)).json()) as ServiceFaults;

export default async function setup(ctx: LabContext): Promise<void> {
  const incident = readIncident(await faultsOf(ctx, 'shop'), await faultsOf(ctx, 'inventory')) ?? draw();
  const faults = faultsFor(incident);
  await ctx.setFaults('shop', faults.shop);
  await ctx.setFaults('inventory', faults.inventory);
  await ctx.routeTelemetry('collector-with-logs');
  await scrapeShopUnlessScraped(ctx);
  ctx.log('some checkouts just got slow: CheckoutLatencyHigh will page within two minutes');
}
