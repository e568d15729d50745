/**
 * Lab 21's realistic wrong work: the reference gateway with one slip each, the slips of a first gateway.
 */
import { slip, type LabContext, type Mistake } from '../api.ts';
import { gateway } from './solution.ts';

const write = (ctx: LabContext, config: string) => ctx.writeFile('otelcol/gateway.yaml', config);

const spanCondition = `      span:
        - 'attributes["http.route"] == "/health"'
`;
const logsFilter = `    logs:
      log_record:
        - 'attributes["route"] == "/health"'
`;

export const mistakes: Mistake[] = [
  {
    id: 'conditions-or-not-and',
    title: 'writes "the shop\'s /health spans" as two conditions, service and route — but a filter drops what matches any of its conditions, so every shop span goes',
    fails: ['traces-through-gateway'],
    apply: (ctx) => write(ctx, slip(gateway, spanCondition, `${spanCondition}        - 'resource.attributes["service.name"] == "shop"'\n`)),
  },
  {
    id: 'old-attribute-name',
    title: 'filters spans on http.target, the attribute older instrumentation used, which the shop\'s spans do not have, so the health checks stay',
    fails: ['health-spans-dropped'],
    apply: (ctx) => write(ctx, slip(gateway, spanCondition, spanCondition.replace('http.route', 'http.target'))),
  },
  {
    id: 'traces-filter-only',
    title: 'filters spans only: the logs pipeline carries every health-check line to Loki',
    fails: ['health-logs-dropped'],
    apply: (ctx) => write(ctx, slip(gateway, logsFilter, '')),
  },
  {
    id: 'no-metrics-pipeline',
    title: 'routes traces and logs but forgets the metrics pipeline, so the shop\'s OTLP metrics go nowhere',
    fails: ['metrics-through-gateway'],
    apply: (ctx) =>
      write(
        ctx,
        slip(
          gateway,
          `    metrics:
      receivers: [otlp]
      processors: [memory_limiter, batch]
      exporters: [otlp_http/prometheus]
`,
          '',
        ),
      ),
  },
  {
    id: 'no-memory-limiter',
    title: 'batches and filters but leaves the memory limiter out of the pipelines, so a burst can take the gateway down',
    fails: ['memory-limiter-in-every-pipeline'],
    apply: (ctx) => write(ctx, gateway.replaceAll('[memory_limiter, filter/health, batch]', '[filter/health, batch]').replace('[memory_limiter, batch]', '[batch]')),
  },
  {
    id: 'no-batch',
    title: 'leaves the batch processor out: every request the services make becomes a request to a backend',
    fails: ['batching'],
    apply: (ctx) => write(ctx, gateway.replaceAll('[memory_limiter, filter/health, batch]', '[memory_limiter, filter/health]').replace('[memory_limiter, batch]', '[memory_limiter]')),
  },
  {
    id: 'traces-to-loki',
    title: 'copies the Loki exporter for traces: spans are sent to Loki\'s OTLP endpoint, which takes only logs',
    fails: ['traces-through-gateway'],
    apply: (ctx) => write(ctx, slip(gateway, '      exporters: [otlp_grpc/tempo]', '      exporters: [otlp_http/loki]')),
  },
];
