/** Lab 9's realistic wrong instrumentation: the reference with one slip each. */
import { slip, type Mistake } from '../api.ts';
import { install, reference } from './solution.ts';

/** Each wrong file, with the objectives it must fail (judge.test.ts runs them through the judges too). */
export const wrongFiles: (Omit<Mistake, 'apply'> & { source: string })[] = [
  {
    id: 'new-root',
    title: 'starts the span as the root of a new trace (root: true), so it is nobody’s child',
    fails: ['child-of-checkout'],
    source: slip(reference, "{ attributes: { 'shop.cart.items'", "{ root: true, attributes: { 'shop.cart.items'"),
  },
  {
    id: 'ends-before-the-call',
    // Its status, set once the call has settled, is lost too: an ended span takes no more changes.
    title: 'ends the span as soon as it has started, before the inventory call it was meant to cover',
    fails: ['covers-the-call', 'error-status'],
    source: slip(slip(reference, '      const reservation = await reserve();', '      span.end();\n      const reservation = await reserve();'), '    } finally {\n      span.end();\n    }', '    } finally {\n      // ended above\n    }'),
  },
  {
    id: 'constant-items',
    title: 'sets shop.cart.items to a constant 1 instead of the cart’s own number of items',
    fails: ['items-attribute'],
    source: slip(reference, "'shop.cart.items': cart.items.length", "'shop.cart.items': 1"),
  },
  {
    id: 'always-error',
    title: 'sets status ERROR on every span, whatever the inventory answered',
    fails: ['error-status'],
    source: slip(reference, '      if (!reservation.ok) span.setStatus(', '      span.setStatus('),
  },
  {
    id: 'never-sets-status',
    title: 'never sets a status: refused reservations look like successful ones',
    fails: ['error-status'],
    source: slip(reference, '      if (!reservation.ok) span.setStatus(', '      if (reservation.status < 0) span.setStatus('),
  },
];

export const mistakes: Mistake[] = wrongFiles.map(({ source, ...mistake }) => ({ ...mistake, apply: (ctx) => install(ctx, source) }));
