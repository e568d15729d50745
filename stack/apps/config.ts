/**
 * The demo services' settings, all from the environment, so the native runtime and Docker Compose can set
 * them the same way. Defaults are the native stack's addresses.
 */
export interface AppConfig {
  service: 'shop' | 'inventory';
  port: number;
  host: string;
  /** OTLP/HTTP root of the collector. */
  otlpEndpoint: string;
  /** OTLP/HTTP root of lab 21's gateway collector (the student's), which PUT /admin/telemetry can switch to. */
  otlpGatewayEndpoint?: string;
  /** Also export log records over OTLP (stdout JSON logs are always written). */
  otlpLogs: boolean;
  inventoryUrl: string;
  postgresUrl: string;
  /**
   * A file to append every JSON log line to, besides stdout. Unset natively, where the runtime already writes
   * the service's stdout to .lab/logs/<service>.log; set in Docker Compose, where stdout goes to Docker and the
   * log shipper reads this file from a volume the two containers share.
   */
  logFile?: string;
  /** The student's instrumentation module (lab 9, instrument.ts), loaded if it exists: INSTRUMENT_FILE. */
  instrumentFile?: string;
}

export function readConfig(service: AppConfig['service'], env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    service,
    port: Number(env.PORT ?? (service === 'shop' ? 8080 : 8081)),
    host: env.HOST ?? '127.0.0.1',
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://127.0.0.1:4318',
    otlpLogs: env.OTLP_LOGS === 'true',
    ...(env.OTLP_GATEWAY_ENDPOINT ? { otlpGatewayEndpoint: env.OTLP_GATEWAY_ENDPOINT } : {}),
    inventoryUrl: env.INVENTORY_URL ?? 'http://127.0.0.1:8081',
    postgresUrl: env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:15432/postgres',
    ...(env.LOG_FILE ? { logFile: env.LOG_FILE } : {}),
    ...(env.INSTRUMENT_FILE ? { instrumentFile: env.INSTRUMENT_FILE } : {}),
  };
}
