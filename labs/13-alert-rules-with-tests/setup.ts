/**
 * Lab 13 setup: checkout starts failing one time in five — the fault the alert must catch. Prometheus must
 * scrape the shop for any of this to work: if no scrape job reaches it yet (lab 4 teaches that part), one is
 * written for the student.
 */
import { scrapeShopUnlessScraped, type LabContext } from '../api.ts';

export default async function setup(ctx: LabContext): Promise<void> {
  await ctx.setFaults('shop', { '/checkout': { errorRate: 0.2 } });
  ctx.log('checkout now fails 20 % of the time');

  await scrapeShopUnlessScraped(ctx);
}
