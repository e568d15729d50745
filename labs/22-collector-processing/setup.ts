/**
 * Lab 22 setup: the shop fails some requests, so that there are error traces to keep — a fifth of checkouts and
 * a tenth of catalogue views: about 1.8 error traces a second under the lab's load of 6 shoppers a second, and
 * the 400 traces without an error that the sampling share is judged on in about 20 s. The student's processing
 * file starts as the kit's: nothing redacted, nothing sampled.
 */
import type { LabContext } from '../api.ts';

export const faults = { '/checkout': { errorRate: 0.2 }, '/products': { errorRate: 0.1 } };

export default async function setup(ctx: LabContext): Promise<void> {
  await ctx.setFaults('shop', faults);
  ctx.log("the shop's checkout now puts the shopper's id, e-mail and card number on its spans and log lines, and some requests fail");
}
