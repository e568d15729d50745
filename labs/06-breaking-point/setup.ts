/**
 * Lab 6 setup: the shop's catalogue (GET /products) gets a capacity limit drawn per student, between 30 and 60
 * requests per second, and kept while the shop runs (a second lab:start keeps the same limit), so the answer
 * cannot be copied from a neighbour. Above it the shop sheds each second's extra requests with 503.
 *
 * The range keeps the reference test short (a ramp from 2 requests per second at 2 more per second reaches
 * 60 in 29 s) and high enough that the rate is read to within a few percent from k6's 1 s pushes; and it
 * starts well above the ramp's start, so the run's average rate is far from its breaking point. Prometheus must scrape the shop for the checks to see its side of the story: if no
 * scrape job reaches it yet (lab 4 teaches that part), one is written for the student.
 */
import { scrapeShopUnlessScraped, type LabContext } from '../api.ts';

export const capacityRange = { min: 30, max: 60 };

export default async function setup(ctx: LabContext): Promise<void> {
  const current = (await (await fetch(`${ctx.endpoints.shop}/admin/faults`)).json()) as Record<string, { capacityRps?: number }>;
  const kept = current['/products']?.capacityRps;
  const drawn = kept !== undefined && kept >= capacityRange.min && kept <= capacityRange.max ? kept : capacityRange.min + Math.floor(Math.random() * (capacityRange.max - capacityRange.min + 1));
  await ctx.setFaults('shop', { '/products': { capacityRps: drawn } });
  await ctx.setFaults('inventory', {});
  ctx.log(`the shop's catalogue now has a capacity limit somewhere between ${capacityRange.min} and ${capacityRange.max} requests per second: find it`);

  await scrapeShopUnlessScraped(ctx);
}
