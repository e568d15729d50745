/**
 * For the labs after module 02 whose checks read the shop's own metrics: Prometheus must scrape the shop. Lab 4
 * teaches that part; a student who starts a later lab first gets the scrape job written for them, in the file
 * lab 4 explains, unless some job already reaches the shop.
 */
import type { LabContext } from './model.ts';

export async function scrapeShopUnlessScraped(ctx: LabContext): Promise<void> {
  const shop = new URL(ctx.endpoints.shop!).host;
  const targets = (await (await fetch(`${ctx.endpoints.prometheus}/api/v1/targets`)).json()) as { data: { activeTargets: { scrapeUrl: string }[] } };
  if (targets.data.activeTargets.some((t) => t.scrapeUrl.includes(shop))) return;
  await ctx.replaceFile(
    'prometheus/scrape/shop.yml',
    `# Written by lab ${ctx.lab.number}'s setup: Prometheus scrapes the shop (lab 4 explains this file).\nscrape_configs:\n  - job_name: shop\n    scrape_interval: 5s\n    static_configs:\n      - targets: ['${shop}']\n`,
  );
  ctx.log('added a scrape job for the shop (workspace/prometheus/scrape/shop.yml)');
}
