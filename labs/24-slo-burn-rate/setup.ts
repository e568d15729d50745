/**
 * Lab 24 setup: checkout starts failing at a rate drawn per student, between 40 % and 60 % — a burn rate of
 * 400 to 600 against a 99.9 % SLO, fast enough that the 1-hour window passes 14.4 within about two minutes
 * even after hours of healthy traffic. The draw is kept when the lab is started again, so the truth does not
 * change under a running window. Prometheus must scrape the shop: if no job reaches it yet (lab 4 teaches
 * that part), one is written for the student.
 */
import { scrapeShopUnlessScraped, type LabContext } from '../api.ts';

const lowest = 0.4;
const highest = 0.6;

export default async function setup(ctx: LabContext): Promise<void> {
  const current = (await (await fetch(`${ctx.endpoints.shop}/admin/faults`)).json()) as Record<string, { errorRate?: number }>;
  const kept = current['/checkout']?.errorRate;
  const errorRate = kept !== undefined && kept >= lowest && kept <= highest ? kept : Math.round((lowest + Math.random() * (highest - lowest)) * 100) / 100;
  await ctx.setFaults('shop', { '/checkout': { errorRate } });
  ctx.log(`checkout now fails ${Math.round(errorRate * 100)} % of the time`);

  await scrapeShopUnlessScraped(ctx);
}
