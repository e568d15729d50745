/**
 * The one way a builder reaches its engine: the URL the stack runtime gave for the service, wrapped in that
 * engine's client. A lab whose objectives ask an engine its stack does not run is a definition error, said
 * with the service's name, not a crash on `undefined`.
 */
import { alertmanagerClient } from '../clients/alertmanager.ts';
import { influxClient } from '../clients/influxdb.ts';
import { lokiClient } from '../clients/loki.ts';
import { postgresClient } from '../clients/postgres.ts';
import { prometheusClient } from '../clients/prometheus.ts';
import { tempoClient } from '../clients/tempo.ts';
import type { CheckContext } from '../model.ts';

export function engineUrl(context: CheckContext, service: string): string {
  const url = context.endpoints[service];
  if (!url) throw new Error(`this lab's objectives ask ${service}, which its stack does not run: add "${service}" to the lab's services`);
  return url;
}

export const engines = {
  prometheus: (context: CheckContext) => prometheusClient(engineUrl(context, 'prometheus')),
  loki: (context: CheckContext) => lokiClient(engineUrl(context, 'loki')),
  tempo: (context: CheckContext) => tempoClient(engineUrl(context, 'tempo')),
  alertmanager: (context: CheckContext) => alertmanagerClient(engineUrl(context, 'alertmanager')),
  influxdb: (context: CheckContext) => influxClient(engineUrl(context, 'influxdb')),
  /** PostgreSQL, optionally one database of it. */
  postgres: (context: CheckContext, database?: string) => {
    const url = engineUrl(context, 'postgres');
    return postgresClient(database ? `${url.replace(/\/$/, '')}/${database}` : url);
  },
};
