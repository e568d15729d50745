/**
 * The services of the lab stack: what each one is, what it needs, how it is configured, started and probed.
 * Both runtimes read this table. Arguments are templates rendered like the config files (stack/render.ts), so
 * the native process and the compose container get the same flags with different addresses.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../lib/paths.ts';
import type { ConfigOverlay } from './overlay.ts';
import type { Probe } from './probes.ts';
import type { SecretName } from './secrets.ts';

export interface ServiceDefinition {
  name: string;
  title: string;
  /** What a student uses it for, shown by stack:status and on the site's port map. */
  role: string;
  /** The engine in stack/versions.yaml whose binaries and ports it uses. */
  engine: string;
  /** Services that must be ready before this one starts (it connects to them as it starts). */
  needs: string[];
  /**
   * Services it calls only once it serves requests: started with it, not waited for, so a start is as short as
   * its slowest true need. (The stack reports ready only when every service is.)
   */
  calls?: string[];
  /** The engine's ports (names in versions.yaml) this service binds: checked free before it starts. */
  ports: string[];
  /**
   * For a service that runs a student's file: its path in the workspace (restarted when the file changes). For
   * Alertmanager, the routing file a lab that applies it installs (lifecycle/alertmanager-config.ts).
   */
  workspaceConfig?: string;
  /**
   * For an engine a lab lets the student configure in part: the student's file merged over one of its config
   * files while that lab is applied (stack/overlay.ts; in compose through the kit's copy of its config directory).
   */
  workspaceOverlay?: ConfigOverlay;
  /** Template files under stack/config/<name>/, rendered into the runtime's config directory. */
  configs: string[];
  /** The binary to run (one of the engine's `binaries`) and its arguments, as templates. */
  binary: string;
  args: string[];
  /** Environment variables for the process, as templates. */
  env?: Record<string, string>;
  ready: Probe;
  /** Where a person (or a check) talks to it; the port name in versions.yaml and an optional path. */
  url: { port: string; scheme: 'http' | 'postgres' | 'redis'; path?: string };
  /** Started only when a lab asks for it (it runs the student's files), never by a plain `stack:up`. */
  labOnly?: boolean;
  /** A plain native `stack:up` skips it, saying so, when its engine is not installed (asked for by name, it must be). */
  optional?: boolean;
  /** Generated secrets (stack/secrets.ts) passed to it in its environment, by both runtimes. */
  secrets?: SecretName[];
  /** A database it keeps its state in, created in the lab's PostgreSQL before it starts. */
  database?: string;
  /** Run natively? False for services that need a container runtime (cAdvisor). */
  native: boolean;
  /** How long a start may take before it is reported as failed. */
  startTimeoutMs: number;
  /**
   * How it stops: the signal that asks it to (default SIGTERM) and how long it may take before it is killed
   * (default `stopGraceMs`). Every service should be gone within a second; where an engine cannot be, `why` says so.
   */
  stop?: { signal?: 'SIGTERM' | 'SIGINT'; graceMs?: number; why?: string };
}

/** How long a stopping service may take before it is killed, unless its `stop` says otherwise. */
export const stopGraceMs = 3_000;

const second = 1000;

/** Every config file under stack/config/<service>/ (its tests aside), as the paths `configs` lists. */
function filesUnder(service: string): string[] {
  const root = join(repoRoot, 'stack', 'config', service);
  const walk = (dir: string): string[] =>
    readdirSync(dir)
      .sort()
      .filter((name) => !name.endsWith('.ts'))
      .flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [relative(root, join(dir, name))]));
  return walk(root);
}

/** The student's collector configuration for the log shipper, relative to the workspace. */
const shipperConfig = 'otelcol/log-shipper.yaml';

/** The student's gateway collector configuration (lab 21), relative to the workspace. */
const gatewayConfig = 'otelcol/gateway.yaml';

export const services: ServiceDefinition[] = [
  {
    name: 'prometheus',
    title: 'Prometheus',
    role: 'metrics: scrapes targets, receives remote write and OTLP, evaluates rules',
    engine: 'prometheus',
    needs: [],
    ports: ['http'],
    configs: ['prometheus.yml'],
    binary: 'prometheus',
    args: [
      '--config.file={{ dir.config }}/prometheus.yml',
      '--storage.tsdb.path={{ dir.data }}',
      '--web.listen-address={{ listen }}:{{ port.prometheus.http }}',
      // k6 and Tempo's metrics-generator push samples with remote write; the collector pushes OTLP.
      '--web.enable-remote-write-receiver',
      '--web.enable-otlp-receiver',
      // POST /-/reload re-reads rules after a student edits them.
      '--web.enable-lifecycle',
      // Exemplars link a latency sample to the trace that produced it.
      '--enable-feature=exemplar-storage',
    ],
    ready: { kind: 'http', port: 'http', path: '/-/ready' },
    url: { port: 'http', scheme: 'http' },
    native: true,
    startTimeoutMs: 60 * second,
  },
  {
    name: 'alertmanager',
    title: 'Alertmanager',
    role: 'alerts: groups, routes, silences and inhibits what Prometheus and Loki fire',
    engine: 'alertmanager',
    needs: [],
    ports: ['http'],
    configs: ['alertmanager.yml'],
    // The routing lab replaces the default config with this file of the student's, by a reload.
    workspaceConfig: 'alertmanager/alertmanager.yml',
    binary: 'alertmanager',
    args: [
      '--config.file={{ dir.config }}/alertmanager.yml',
      '--storage.path={{ dir.data }}',
      '--web.listen-address={{ listen }}:{{ port.alertmanager.http }}',
      // One instance: no gossip listener (it would bind 0.0.0.0:9094).
      '--cluster.listen-address=',
    ],
    ready: { kind: 'http', port: 'http', path: '/-/ready' },
    url: { port: 'http', scheme: 'http' },
    native: true,
    startTimeoutMs: 30 * second,
  },
  {
    name: 'node_exporter',
    title: 'node_exporter',
    role: 'host metrics: CPU, memory, disk and network of this machine',
    engine: 'node_exporter',
    needs: [],
    ports: ['http'],
    configs: [],
    binary: 'node_exporter',
    args: ['--web.listen-address={{ listen }}:{{ port.node_exporter.http }}'],
    ready: { kind: 'http', port: 'http', path: '/metrics' },
    url: { port: 'http', scheme: 'http', path: '/metrics' },
    native: true,
    startTimeoutMs: 20 * second,
  },
  {
    name: 'loki',
    title: 'Loki',
    role: 'logs: stores log lines by label, queried with LogQL; OTLP logs at /otlp',
    engine: 'loki',
    needs: [],
    ports: ['http', 'grpc'],
    configs: ['loki.yaml'],
    binary: 'loki',
    args: ['-config.file={{ dir.config }}/loki.yaml'],
    ready: { kind: 'http', port: 'http', path: '/ready' },
    url: { port: 'http', scheme: 'http' },
    native: true,
    startTimeoutMs: 90 * second,
  },
  {
    name: 'tempo',
    title: 'Tempo',
    role: 'traces: stores spans, queried with TraceQL; turns spans into metrics',
    engine: 'tempo',
    needs: [],
    ports: ['http', 'grpc', 'otlp_grpc', 'otlp_http', 'memberlist'],
    configs: ['tempo.yaml'],
    // Lab 12 turns the metrics-generator's processors on in this file of the student's, merged over tempo.yaml.
    workspaceOverlay: { file: 'tempo/metrics-generator.yaml', over: 'tempo.yaml' },
    binary: 'tempo',
    args: ['-config.file={{ dir.config }}/tempo.yaml'],
    ready: { kind: 'http', port: 'http', path: '/ready' },
    url: { port: 'http', scheme: 'http' },
    native: true,
    startTimeoutMs: 90 * second,
    // Tempo's metrics-generator sleeps 5 s on the way out "to let the ring propagate" (hard-coded in
    // modules/generator/generator.go, nothing to configure), after its ingester has already stopped. Killing it
    // after a second loses at most the generator's last few seconds of span metrics; traces are in its WAL,
    // which it replays at the next start.
    stop: { graceMs: 1_000, why: "its metrics-generator's hard-coded 5 s shutdown sleep" },
  },
  {
    name: 'otelcol',
    title: 'OpenTelemetry Collector',
    role: 'OTLP gateway: receives traces, logs and metrics and routes them to Tempo, Loki and Prometheus',
    engine: 'otelcol',
    needs: [],
    ports: ['otlp_grpc', 'otlp_http', 'health', 'metrics'],
    configs: ['otelcol.yaml'],
    // Lab 22 adds its own processors (redaction, hashing, tail sampling) in this file of the student's, merged over
    // otelcol.yaml, and tails the shop's log file there so that logs pass the same processors.
    workspaceOverlay: { file: 'otelcol/processing.yaml', over: 'otelcol.yaml' },
    binary: 'otelcol',
    args: ['--config={{ dir.config }}/otelcol.yaml'],
    // For that overlay's file_log receiver, as ${env:SHOP_LOG_FILE} (the same name the log shipper's file uses).
    env: { SHOP_LOG_FILE: '{{ dir.logs }}/shop.log' },
    ready: { kind: 'http', port: 'health', path: '/' },
    url: { port: 'otlp_http', scheme: 'http' },
    native: true,
    startTimeoutMs: 30 * second,
  },
  {
    name: 'postgres',
    title: 'PostgreSQL',
    role: "SQL: Grafana's database and the demo shop's orders",
    engine: 'postgres',
    needs: [],
    ports: ['sql'],
    configs: ['postgresql.conf'],
    binary: 'postgres',
    args: ['-D', '{{ dir.data }}', '-c', 'config_file={{ dir.config }}/postgresql.conf'],
    ready: { kind: 'postgres', port: 'sql' },
    url: { port: 'sql', scheme: 'postgres' },
    native: true,
    startTimeoutMs: 60 * second,
    // SIGINT is PostgreSQL's "fast" shutdown: it closes client connections (the shop's pool) instead of waiting
    // for them to leave, as SIGTERM's "smart" shutdown does.
    stop: { signal: 'SIGINT' },
  },
  {
    name: 'redis',
    title: 'Redis',
    role: "cache: Grafana's remote cache for sessions and query results",
    engine: 'redis',
    needs: [],
    ports: ['resp'],
    configs: ['redis.conf'],
    binary: 'redis-server',
    args: ['{{ dir.config }}/redis.conf'],
    ready: { kind: 'redis', port: 'resp' },
    url: { port: 'resp', scheme: 'redis' },
    native: true,
    startTimeoutMs: 20 * second,
  },
  {
    name: 'influxdb',
    title: 'InfluxDB',
    role: 'time series in line protocol, queried with InfluxQL (module 09)',
    engine: 'influxdb',
    needs: [],
    ports: ['http', 'rpc'],
    configs: ['influxdb.conf'],
    binary: 'influxd',
    args: ['-config', '{{ dir.config }}/influxdb.conf'],
    ready: { kind: 'http', port: 'http', path: '/ping' },
    url: { port: 'http', scheme: 'http' },
    native: true,
    startTimeoutMs: 30 * second,
  },
  {
    name: 'grafana',
    title: 'Grafana',
    role: 'dashboards, Explore and alerting over every engine; log in as admin (password in .env)',
    engine: 'grafana',
    // Its database is the lab's PostgreSQL, its remote cache the lab's Redis.
    needs: ['postgres', 'redis'],
    ports: ['http'],
    configs: filesUnder('grafana'),
    binary: 'grafana',
    // The release tree is Grafana's home (conf/defaults.ini, public/); our grafana.ini overrides what differs.
    args: ['server', '--homepath', '{{ dir.home }}', '--config', '{{ dir.config }}/grafana.ini'],
    secrets: ['GF_SECURITY_ADMIN_PASSWORD', 'GF_SECURITY_SECRET_KEY'],
    database: 'grafana',
    ready: { kind: 'http', port: 'http', path: '/api/health' },
    url: { port: 'http', scheme: 'http' },
    optional: true,
    native: true,
    startTimeoutMs: 120 * second,
  },
  studentCollector({
    name: 'log-shipper',
    title: 'Log shipper (your collector)',
    role: `a second collector running the student's own config, workspace/${shipperConfig} (module 04)`,
    config: shipperConfig,
    ports: ['shipper_health'],
    env: {
      SHOP_LOG_FILE: '{{ dir.logs }}/shop.log',
      LOKI_OTLP_ENDPOINT: 'http://{{ addr.loki.http }}/otlp',
      SHIPPER_HEALTH_ENDPOINT: '{{ listen }}:{{ port.otelcol.shipper_health }}',
    },
  }),
  studentCollector({
    name: 'gateway',
    title: 'Gateway (your collector)',
    role: `lab 21's OTLP gateway, running the student's own config, workspace/${gatewayConfig}: the demo apps send it all three signals`,
    config: gatewayConfig,
    ports: ['gateway_otlp_grpc', 'gateway_otlp_http', 'gateway_health'],
    env: {
      GATEWAY_OTLP_GRPC_ENDPOINT: '{{ listen }}:{{ port.otelcol.gateway_otlp_grpc }}',
      GATEWAY_OTLP_HTTP_ENDPOINT: '{{ listen }}:{{ port.otelcol.gateway_otlp_http }}',
      GATEWAY_HEALTH_ENDPOINT: '{{ listen }}:{{ port.otelcol.gateway_health }}',
      TEMPO_OTLP_GRPC_ENDPOINT: '{{ addr.tempo.otlp_grpc }}',
      LOKI_OTLP_ENDPOINT: 'http://{{ addr.loki.http }}/otlp',
      PROMETHEUS_OTLP_ENDPOINT: 'http://{{ addr.prometheus.http }}/api/v1/otlp',
    },
  }),
  {
    name: 'inventory',
    title: 'Inventory service',
    role: 'demo app: stock levels and reservations, called by the shop',
    engine: 'inventory',
    needs: [],
    ports: ['http'],
    configs: [],
    binary: 'node',
    // Relative to the repository root; the compose image runs main.ts its own way (stack/compose/overrides.ts).
    args: ['stack/apps/start.mjs', 'inventory'],
    env: demoEnv('inventory'),
    ready: { kind: 'http', port: 'http', path: '/health' },
    url: { port: 'http', scheme: 'http' },
    native: true,
    startTimeoutMs: 30 * second,
  },
  {
    name: 'shop',
    title: 'Shop',
    role: 'demo app: the web shop students observe (/products, /cart, /checkout), with metrics, logs and traces',
    engine: 'shop',
    // Its PostgreSQL pool and the inventory client connect on the first request, not at start.
    needs: [],
    calls: ['inventory', 'postgres'],
    ports: ['http'],
    configs: [],
    // Lab 9's student instruments the checkout in this file of theirs, loaded as the shop starts (restarted when it changes).
    workspaceConfig: 'shop/instrument.ts',
    binary: 'node',
    args: ['stack/apps/start.mjs', 'shop'],
    env: { ...demoEnv('shop'), INSTRUMENT_FILE: '{{ dir.workspace }}/shop/instrument.ts' },
    ready: { kind: 'http', port: 'http', path: '/health' },
    url: { port: 'http', scheme: 'http' },
    native: true,
    startTimeoutMs: 30 * second,
  },
  {
    name: 'alert-sink',
    title: 'Alert sink',
    role: 'webhook receiver for the alerting labs: records what Alertmanager sends to each receiver (POST /<receiver>)',
    engine: 'alert-sink',
    needs: [],
    ports: ['http'],
    configs: [],
    binary: 'node',
    args: ['--import', 'tsx', 'stack/apps/alert-sink.ts'],
    env: { HOST: '{{ listen }}', PORT: '{{ port.alert-sink.http }}' },
    // Only the routing lab needs it.
    labOnly: true,
    ready: { kind: 'http', port: 'http', path: '/health' },
    url: { port: 'http', scheme: 'http' },
    native: true,
    startTimeoutMs: 30 * second,
  },
  {
    name: 'usage-job',
    title: 'Usage job runner',
    role: "runs your job, workspace/jobs/usage-job.ts, every 15 s (lab 20): GET /runs says how each run ended",
    engine: 'usage-job',
    // The job reads Loki and writes PostgreSQL; it runs (and may fail) whether or not they are up yet.
    needs: [],
    calls: ['loki', 'postgres'],
    ports: ['http'],
    configs: [],
    binary: 'node',
    args: ['--import', 'tsx', 'stack/apps/job-runner.ts'],
    env: {
      HOST: '{{ listen }}',
      PORT: '{{ port.usage-job.http }}',
      WORKSPACE: '{{ dir.workspace }}',
      JOB_FILE: 'jobs/usage-job.ts',
      INTERVAL_MS: '15000',
      LOKI_URL: 'http://{{ addr.loki.http }}',
      DATABASE_URL: 'postgres://postgres@{{ addr.postgres.sql }}/usage',
    },
    // Only the usage lab runs a student's job.
    labOnly: true,
    ready: { kind: 'http', port: 'http', path: '/health' },
    url: { port: 'http', scheme: 'http' },
    native: true,
    startTimeoutMs: 30 * second,
  },
];

/** Where the demo services find each other, the collector and the database. */
/**
 * A collector that runs a student's own config file from the workspace (a lab starts it; a plain stack:up does
 * not). Its last port is its health endpoint. The config refers to `env` with ${env:…}, so it works unchanged
 * in both runtimes.
 */
function studentCollector(options: { name: string; title: string; role: string; config: string; ports: string[]; env: Record<string, string> }): ServiceDefinition {
  const health = options.ports.at(-1)!;
  return {
    name: options.name,
    title: options.title,
    role: options.role,
    engine: 'otelcol',
    needs: [],
    ports: options.ports,
    configs: [],
    binary: 'otelcol',
    workspaceConfig: options.config,
    args: [`--config={{ dir.workspace }}/${options.config}`],
    env: options.env,
    labOnly: true,
    ready: { kind: 'http', port: health, path: '/' },
    url: { port: health, scheme: 'http' },
    native: true,
    startTimeoutMs: 30 * second,
  };
}

function demoEnv(service: 'shop' | 'inventory'): Record<string, string> {
  return {
    HOST: '{{ listen }}',
    PORT: `{{ port.${service}.http }}`,
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://{{ addr.otelcol.otlp_http }}',
    // Lab 21's gateway, used only while PUT /admin/telemetry points there (in compose it shares otelcol's network).
    OTLP_GATEWAY_ENDPOINT: 'http://{{ addr.otelcol.gateway_otlp_http }}',
    INVENTORY_URL: 'http://{{ addr.inventory.http }}',
    POSTGRES_URL: 'postgres://postgres@{{ addr.postgres.sql }}/postgres',
  };
}

export function findService(name: string): ServiceDefinition | undefined {
  return services.find((service) => service.name === name);
}

/**
 * The services to start for a request, dependencies first, in waves: every service in a wave needs only
 * services of earlier waves, so a wave starts in parallel. Unknown names are returned separately.
 */
export function planStart(requested: string[], all: ServiceDefinition[] = services): { waves: ServiceDefinition[][]; unknown: string[] } {
  const unknown = requested.filter((name) => !all.some((service) => service.name === name));
  const wanted = new Set<string>();
  const visit = (name: string) => {
    if (wanted.has(name)) return;
    const service = all.find((s) => s.name === name);
    if (!service) return;
    wanted.add(name);
    [...service.needs, ...(service.calls ?? [])].forEach(visit);
  };
  requested.forEach(visit);
  const waves: ServiceDefinition[][] = [];
  const placed = new Set<string>();
  while (placed.size < wanted.size) {
    const wave = all.filter((s) => wanted.has(s.name) && !placed.has(s.name) && s.needs.every((n) => placed.has(n)));
    if (wave.length === 0) throw new Error(`dependency cycle among: ${[...wanted].filter((n) => !placed.has(n)).join(', ')}`);
    wave.forEach((s) => placed.add(s.name));
    waves.push(wave);
  }
  return { waves, unknown };
}

/** The engines behind some services and everything they need (each engine once, in start order). */
export function enginesFor(requested: string[], all: ServiceDefinition[] = services): string[] {
  const { waves } = planStart(requested, all);
  return [...new Set(waves.flat().map((service) => service.engine))];
}
