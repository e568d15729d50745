/**
 * Lab 13 setup: checkout starts failing one time in five — the fault the alert must catch. Prometheus must
 * scrape the shop for any of this to work: if no scrape job reaches it yet (lab 4 teaches that part), one is
 * written for the student.
 */
import type { LabContext } from '../api.ts';

export default async function setup(ctx: LabContext): Promise<void> {
  await ctx.setFaults('shop', { '/checkout': { errorRate: 0.2 } });
  ctx.log('checkout now fails 20 % of the time');

  const shop = new URL(ctx.endpoints.shop!).host;
  const targets = (await (await fetch(`${ctx.endpoints.prometheus}/api/v1/targets`)).json()) as { data: { activeTargets: { scrapeUrl: string }[] } };
  if (!targets.data.activeTargets.some((t) => t.scrapeUrl.includes(shop))) {
    await ctx.replaceFile('prometheus/scrape/shop.yml', `# Written by lab 13's setup: Prometheus scrapes the shop (lab 4 explains this file).\nscrape_configs:\n  - job_name: shop\n    scrape_interval: 5s\n    static_configs:\n      - targets: ['${shop}']\n`);
    ctx.log('added a scrape job for the shop (workspace/prometheus/scrape/shop.yml)');
  }
}
