/**
 * Lab 7 setup: one route of the shop starts failing often and another now and then. Which route is the noisy
 * one is drawn at random per student (and kept across restarts), so answers cannot be copied.
 */
import type { LabContext } from '../api.ts';

const routes = ['/products', '/cart', '/checkout'];

export default async function setup(ctx: LabContext): Promise<void> {
  const current = (await (await fetch(`${ctx.endpoints.shop}/admin/faults`)).json()) as Record<string, { errorRate: number }>;
  const noisy = Object.entries(current).find(([, fault]) => fault.errorRate >= 0.25)?.[0] ?? routes[Math.floor(Math.random() * routes.length)]!;
  const quieter = routes.find((route) => route !== noisy)!;
  await ctx.setFaults('shop', { [noisy]: { errorRate: 0.3 }, [quieter]: { errorRate: 0.05 } });
  ctx.log('the shop now fails some requests; its logs say which');
}
