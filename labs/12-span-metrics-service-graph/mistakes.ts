/**
 * Lab 12's realistic wrong work: the reference generator config or queries with one slip each. The config
 * slips keep the answers the reference wrote; the answer slips run on the same live series as the reference,
 * so only the query is wrong.
 */
import { slip, type LabContext, type Mistake } from '../api.ts';
import { answer, configure, queries, referenceConfig, waitForSeries } from './solution.ts';

const withConfig = (from: string, to: string) => (ctx: LabContext) => configure(ctx, slip(referenceConfig(), from, to));

/** The reference config and answers, but one question asked with `expr`. */
const answerWith = async (ctx: LabContext, key: keyof typeof queries, expr: string) => {
  await configure(ctx);
  await waitForSeries(ctx);
  await answer(ctx, { ...queries, [key]: expr });
};

export const mistakes: Mistake[] = [
  {
    id: 'span-metrics-without-the-route',
    title: 'turns the span-metrics processor on but leaves out the http.route dimension asked for (its series carry only service, span name, kind and status)',
    fails: ['span-metrics-route'],
    apply: withConfig('    span_metrics:\n      dimensions: [http.route]\n', '    span_metrics: {}\n'),
  },
  {
    id: 'service-graphs-off',
    title: 'configures the service-graph dimensions but runs only the span-metrics processor: processors: [span-metrics]',
    fails: ['service-graph'],
    apply: withConfig('processors: [service-graphs, span-metrics]', 'processors: [span-metrics]'),
  },
  {
    id: 'median-edge',
    title: 'ranks the edges by histogram_quantile(0.5, …), the median, where the 95th percentile was asked',
    fails: ['slowest-edge'],
    apply: (ctx) => answerWith(ctx, 'slowest_edge_route', slip(queries.slowest_edge_route, 'histogram_quantile(0.95,', 'histogram_quantile(0.5,')),
  },
  {
    id: 'error-share-of-the-whole-shop',
    title: "reads the error share of all the shop's server spans (no route matcher): the whole shop's, not /checkout's",
    fails: ['checkout-error-percent'],
    apply: (ctx) => answerWith(ctx, 'checkout_error_percent', slip(slip(queries.checkout_error_percent, ', http_route="/checkout"', ''), ', http_route="/checkout"', '')),
  },
];
