/**
 * Lab 7's realistic wrong work: the reference shipper with one slip each, the slips of a first file_log
 * pipeline. Each replaces only the shipper; the answer the solution wrote stays.
 */
import { slip, type LabContext, type Mistake } from '../api.ts';
import { shipper } from './solution.ts';

const ship = (ctx: LabContext, config: string) => ctx.writeFile('otelcol/log-shipper.yaml', config);

const parser = `      - type: json_parser
        severity:
          parse_from: attributes.level
`;

export const mistakes: Mistake[] = [
  {
    id: 'level-on-every-line',
    title: 'adds level="error" to every line with an add operator, meaning it as a default, so Loki finds every line by level="error"',
    fails: ['level-searchable'],
    apply: (ctx) => ship(ctx, slip(shipper, parser, `${parser}      - type: add\n        field: attributes.level\n        value: error\n`)),
  },
  {
    id: 'no-json-parser',
    title: 'ships the lines as they are, naming the service with an add operator but parsing nothing, so level and route stay inside the text',
    fails: ['level-searchable', 'route-searchable'],
    apply: (ctx) =>
      ship(
        ctx,
        slip(
          slip(shipper, parser, ''),
          `      - type: move
        from: attributes.service
        to: resource["service.name"]`,
          `      - type: add
        field: resource["service.name"]
        value: shop`,
        ),
      ),
  },
  {
    id: 'service-left-in-attributes',
    title: 'parses the JSON but leaves "service" as a log attribute, so Loki files the lines under service_name="unknown_service"',
    fails: ['logs-arrive'],
    apply: (ctx) =>
      ship(
        ctx,
        slip(
          shipper,
          `      - type: move
        from: attributes.service
        to: resource["service.name"]
`,
          '',
        ),
      ),
  },
];
