/**
 * Lab 7 reference solution: a shipper that parses each JSON line into attributes (kept by Loki as
 * structured metadata), names the service, and exports to Loki over OTLP — then the answer, found the way a
 * student would, with a LogQL query.
 */
import type { LabContext } from '../api.ts';

const shipper = `# Log shipper: tail the shop's JSON log, parse it, send it to Loki over OTLP.
receivers:
  filelog/shop:
    include: ['\${env:SHOP_LOG_FILE}']
    start_at: end
    operators:
      # Every JSON field becomes a log attribute; level also sets the record's severity.
      - type: json_parser
        severity:
          parse_from: attributes.level
      # The "service" field names the service: make it the resource attribute Loki turns into service_name.
      - type: move
        from: attributes.service
        to: resource["service.name"]

processors:
  batch:
    timeout: 1s

exporters:
  otlp_http/loki:
    endpoint: \${env:LOKI_OTLP_ENDPOINT}

extensions:
  health_check:
    endpoint: \${env:SHIPPER_HEALTH_ENDPOINT}

service:
  extensions: [health_check]
  telemetry:
    metrics:
      level: none
  pipelines:
    logs:
      receivers: [filelog/shop]
      processors: [batch]
      exporters: [otlp_http/loki]
`;

const noisiestRoute = 'topk(1, sum by (route) (count_over_time({service_name="shop"} | level="error" [10m])))';

export default async function solution(ctx: LabContext): Promise<void> {
  await ctx.writeFile('otelcol/log-shipper.yaml', shipper);
  await ctx.apply(); // restarts the shipper with this file

  // Wait for error lines to arrive, then ask Loki which route has the most.
  const deadline = Date.now() + 90_000;
  for (;;) {
    const url = `${ctx.endpoints.loki}/loki/api/v1/query?${new URLSearchParams({ query: noisiestRoute })}`;
    const body = (await (await fetch(url)).json()) as { data: { result: { metric: { route?: string } }[] } };
    const route = body.data.result[0]?.metric.route;
    if (route) {
      await ctx.writeFile('answers/07-ship-structured-logs.yaml', `# Lab 7 answers\nnoisiest_error_route: "${route}"\n`);
      ctx.log(`answered: ${route}`);
      return;
    }
    if (Date.now() > deadline) throw new Error('no error lines reached Loki within 90 s');
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}
