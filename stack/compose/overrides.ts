/**
 * What the Docker Compose stack needs beyond stack/services.ts: the services that only run in containers
 * (cAdvisor), the one-shot k6 job, and the facts about each image that the native runtime never has
 * to know (where the image keeps its data, which HTTP client it has for a healthcheck, host mounts, our own
 * image builds, config files only the containers have).
 * stack/compose/generate.ts reads this file together with services.ts and versions.yaml.
 * Compose file reference: https://docs.docker.com/reference/compose-file/services/
 */
import type { ServiceDefinition } from '../services.ts';

const second = 1000;

import type { SecretName } from '../secrets.ts';

/**
 * The mount propagation of node_exporter's view of the host root: rslave by default, rprivate where Docker
 * refuses rslave (Docker Desktop). The driver sets it; by hand, export it before `docker compose up`.
 */
export const hostRootPropagationVariable = 'O11Y_LAB_HOST_ROOT_PROPAGATION';

/** The demo services' image (stack/apps/Dockerfile), built once, by the inventory service. */
const demoImageBuild = { dockerfile: 'stack/apps/Dockerfile', image: 'o11y-lab-kit/demo' };

/** A compose reference to a generated secret that fails loudly when .env is missing. */
export const secret = (name: SecretName) => `\${${name}:?is not set: run npm run stack:up once (it writes .env), or pass --env-file .env}`;

/**
 * Services that exist only in the compose stack. They use the ServiceDefinition shape of stack/services.ts, so
 * that the generator, the driver and the readiness probes treat them like every other service. If one of them
 * moves into services.ts (as Grafana did when it ran natively), delete it here: a test refuses a name defined twice.
 */
export const composeOnlyServices: ServiceDefinition[] = [
  {
    name: 'cadvisor',
    title: 'cAdvisor',
    role: "container metrics: CPU, memory and network of every container of this stack",
    engine: 'cadvisor',
    needs: [],
    ports: ['http'],
    configs: [],
    binary: 'cadvisor',
    args: [
      '-listen_ip={{ listen }}',
      '-port={{ port.cadvisor.http }}',
      // Only Docker containers, every 10 s: enough for a lab, and light on a laptop.
      '-docker_only=true',
      '-housekeeping_interval=10s',
    ],
    ready: { kind: 'http', port: 'http', path: '/healthz' },
    url: { port: 'http', scheme: 'http', path: '/metrics' },
    native: false,
    startTimeoutMs: 60 * second,
  },
];

export interface ComposeOverride {
  /** The image's own data directory (owned by the user the image runs as), used as {{ dir.data }}. */
  dataDir?: string;
  /**
   * What runs an http probe for this image (stack/compose/images.ts lists what each pinned image contains, with
   * the evidence): a client program in the image; `node` (its built-in fetch) for the Node.js images;
   * `loki-health` for Loki's distroless image, whose binary probes itself (`loki -health`); `sidecar` for an image
   * with no client and an engine with no probe command: a probe sidecar (`<service>-ready`, see probeSidecar)
   * runs the probe over the compose network, and the services that need this one wait for the sidecar to be
   * healthy; 'none' when nothing waits on the service and the kit probes it from the host (noHealthcheckReason).
   */
  httpClient: 'wget' | 'curl' | 'node' | 'loki-health' | 'sidecar' | 'none';
  /** Why the healthcheck is missing, when httpClient is 'none' (written into compose.yaml). */
  noHealthcheckReason?: string;
  /** Extra dependencies in compose: a container's DNS name exists only once the container does. */
  needs?: string[];
  /** Arguments appended to the service's own (templates). */
  extraArgs?: string[];
  /** Arguments instead of the service's own, when the image's entrypoint supplies them. */
  args?: string[];
  /** Environment (templates; ${NAME} is left for compose to fill from .env). */
  environment?: Record<string, string>;
  /** Host paths mounted read-only: host:container. */
  hostMounts?: string[];
  pid?: 'host';
  privileged?: boolean;
  devices?: string[];
  /**
   * Our own image, built from this repository: the Dockerfile (relative to the repository root, the build context)
   * and the image name, tagged with the engine's version from versions.yaml. The engine's `image` there is the
   * base image, passed to the Dockerfile as the build argument BASE_IMAGE.
   */
  build?: { dockerfile: string; image: string };
  /**
   * Runs the image another service builds (its `build`), under the same tag, and never builds or pulls it
   * itself (pull_policy: never): one build per image. Compose pulls no image that another service builds
   * (docker/compose pkg/compose/pull.go isServiceImageToBuild), and recreates this container when that image
   * changes (the com.docker.compose.image digest label, pkg/compose/reconcile.go).
   */
  runsImageOf?: string;
  /**
   * Shares the network of another service (network_mode: service:<name>): the two see each other on 127.0.0.1,
   * as natively. Such a container publishes no port of its own (Docker refuses); the service it joins publishes
   * them. The alert sink joins Alertmanager, so that a student's webhook URL http://127.0.0.1:9095/<receiver> is
   * right in both runtimes.
   */
  networkOf?: string;
  /**
   * The service's config directory is mounted from the directory this variable names, defaulting to the rendered
   * one (stack/compose/config/<service>/): the kit points it at a copy it owns (stack/compose/model.ts
   * liveConfigDir) and writes the student's file there before asking the engine to reload.
   */
  liveConfigVariable?: string;
  /** The service appends to files in {{ dir.logs }} (the shared logs volume, otherwise mounted read-only). */
  writesLogs?: boolean;
  /**
   * Config files only the containers have, as templates: path under the service's config directory → text.
   * Rendered into stack/compose/config/<service>/ beside the shared templates; natively they do not exist.
   */
  extraConfigs?: Record<string, string>;
}

/**
 * Prometheus scrapes cAdvisor only in compose, where cAdvisor runs: a file in the scrape.d directory that
 * stack/config/prometheus/prometheus.yml reads with scrape_config_files (natively that directory is empty).
 */
const cadvisorScrapeJob = `# Prometheus scrape job for cAdvisor, which runs only in the Docker Compose stack.
# Reference: https://prometheus.io/docs/prometheus/latest/configuration/configuration/#scrape_config
# Read through scrape_config_files in prometheus.yml ({{ dir.config }}/scrape.d/*.yml); natively nothing is there.
scrape_configs:
  # Container metrics: CPU, memory and network per container (container_* series, labelled by container name).
  - job_name: cadvisor
    # cAdvisor refreshes its numbers every 10 s (its -housekeeping_interval): scraping faster reads the same values.
    scrape_interval: 10s
    static_configs:
      - targets: ['{{ addr.cadvisor.http }}']
`;

/**
 * The demo services (shop, inventory): this repository's TypeScript in our own image (stack/apps/Dockerfile),
 * which has Node.js but no curl or wget. Each appends its JSON log to the shared logs volume as well as stdout,
 * at the path the lab's log shipper reads ({{ dir.logs }}/<service>.log, as natively); natively the runtime
 * writes their stdout there itself, so LOG_FILE is set only here.
 */
const demoService = (name: 'shop' | 'inventory'): ComposeOverride => ({
  httpClient: 'node',
  // Natively the kit runs its compiled copy (stack/apps/start.mjs); the image runs the TypeScript through tsx.
  args: ['--import', 'tsx', 'stack/apps/main.ts', name],
  // One image for both: inventory builds it, the shop runs the same tag. Two services building one tag make
  // Compose's build (Bake) export that tag twice at once, which fails now and then on a first `up`. The shop
  // calls the inventory service, so whatever starts the shop starts (and builds) inventory first.
  ...(name === 'inventory' ? { build: demoImageBuild } : { runsImageOf: 'inventory' }),
  writesLogs: true,
  environment: { LOG_FILE: `{{ dir.logs }}/${name}.log` },
  // Spans go to the collector by name: start it first so the name resolves.
  needs: ['otelcol'],
});

/** One entry per compose service. A test checks that every service has one. */
export const composeOverrides: Record<string, ComposeOverride> = {
  // prom/* images are busybox-based and run as nobody, who owns /prometheus.
  // The stack tour (lifecycle/tour.ts) adds a scrape file to scrape.d while it runs: the kit's own copy of the
  // config directory is mounted.
  prometheus: { dataDir: '/prometheus', httpClient: 'wget', extraConfigs: { 'scrape.d/cadvisor.yml': cadvisorScrapeJob }, liveConfigVariable: 'O11Y_LAB_PROMETHEUS_CONFIG' },
  // The routing lab applies the student's configuration: the kit's own copy of the config directory is mounted.
  alertmanager: { dataDir: '/alertmanager', httpClient: 'wget', liveConfigVariable: 'O11Y_LAB_ALERTMANAGER_CONFIG' },
  // node_exporter in a container sees the container; the Docker host's root, mounted read-only, is what it
  // should read. `rslave` (node_exporter's documented mount) lets mounts made on the host later show up inside;
  // Docker refuses it where / is not a shared or slave mount ("path / is mounted on / but it is not a shared or
  // slave mount"): on Docker Desktop (macOS, Windows), whose engine runs in a Linux VM, so the driver passes
  // rprivate there (stack/compose/docker.ts hostRootPropagation) and node_exporter measures that VM.
  node_exporter: {
    httpClient: 'wget',
    extraArgs: ['--path.rootfs=/host'],
    hostMounts: [`/:/host:ro,\${${hostRootPropagationVariable}:-rslave}`],
    pid: 'host',
  },
  // Loki's image is distroless (gcr.io/distroless/static:nonroot, from 3.6.0 on): no shell, no busybox, no wget.
  // Its binary probes itself instead. It runs as uid 10001, who owns /loki.
  loki: { dataDir: '/loki', httpClient: 'loki-health' },
  // Tempo's image is distroless too (gcr.io/distroless/static-debian12): no shell, no client, and no probe
  // command in the binary. A sidecar probes it. It runs as uid 10001, who owns /var/tempo.
  // Lab 12 restarts Tempo with the student's metrics-generator overlay: the kit's copy of the config directory.
  tempo: { dataDir: '/var/tempo', httpClient: 'sidecar', liveConfigVariable: 'O11Y_LAB_TEMPO_CONFIG' },
  // The collector image is built FROM scratch: only the binary, which has no probe command. A sidecar probes it.
  // Lab 22 restarts it with the student's processing overlay: the kit's copy of the config directory.
  otelcol: {
    httpClient: 'sidecar',
    liveConfigVariable: 'O11Y_LAB_OTELCOL_CONFIG',
    // The gateway forwards to these by name; start them first so the names resolve.
    needs: ['tempo', 'loki', 'prometheus'],
  },
  // The lab's second collector, on the same image as the gateway: it runs the student's config from the workspace
  // and reads the shop's log from the shared logs volume, read-only.
  'log-shipper': {
    httpClient: 'none',
    noHealthcheckReason:
      'the collector image is built FROM scratch (see otelcol), and nothing waits on this lab-only service. The kit ' +
      "probes its health endpoint from the host, as it does natively; a broken student config shows there, and in " +
      'npm run stack:logs log-shipper.',
    // It exports to Loki by name.
    needs: ['loki'],
  },
  // Lab 21's gateway, the student's collector, on the gateway's image. It shares otelcol's network, so the demo
  // apps reach it at otelcol:4328 — the address {{ addr.otelcol.gateway_otlp_http }} renders in both runtimes — and
  // otelcol publishes its ports (networkOf).
  gateway: {
    httpClient: 'none',
    noHealthcheckReason:
      'the collector image is built FROM scratch (see otelcol), and nothing waits on this lab-only service. The kit ' +
      'probes its health endpoint from the host, as it does natively; a broken student config shows there, and in ' +
      'npm run stack:logs gateway.',
    needs: ['otelcol', 'tempo', 'loki', 'prometheus'],
    networkOf: 'otelcol',
  },
  // The official image initialises PGDATA on first start, then runs our flags.
  postgres: {
    dataDir: '/var/lib/postgresql/data',
    httpClient: 'none',
    environment: {
      PGDATA: '{{ dir.data }}',
      // psql and pg_isready inside the container default to the lab's port.
      PGPORT: '{{ port.postgres.sql }}',
      // As natively (initdb --auth=trust): a lab database with no secrets, whose port is published on
      // 127.0.0.1 only, so lab checks connect the same way under both runtimes.
      POSTGRES_HOST_AUTH_METHOD: 'trust',
      // Grafana's database, created with the data directory.
      POSTGRES_DB: 'grafana',
    },
  },
  redis: { dataDir: '/data', httpClient: 'none' },
  // InfluxDB 1.8's image is built on buildpack-deps:*-curl (Debian): curl.
  influxdb: { dataDir: '/var/lib/influxdb', httpClient: 'curl' },
  // Grafana's image is Alpine-based (busybox wget) and runs as uid 472, who owns /var/lib/grafana. Its entrypoint takes the
  // config and provisioning paths from these variables, and secrets from the environment.
  grafana: {
    dataDir: '/var/lib/grafana',
    httpClient: 'wget',
    environment: {
      GF_PATHS_CONFIG: '{{ dir.config }}/grafana.ini',
      GF_PATHS_DATA: '{{ dir.data }}',
      GF_PATHS_PROVISIONING: '{{ dir.config }}/provisioning',
    },
    // The image's entrypoint starts `grafana server` with its own home; our native arguments would repeat it.
    args: [],
  },
  // cAdvisor reads the container runtime's state from the host, read-only. Its recommended setup is
  // privileged with /dev/kmsg, to see every cgroup and OOM event. Its image is Alpine-based (busybox wget; the
  // image's own HEALTHCHECK uses wget, on port 8080, which compose.yaml's healthcheck replaces).
  // On Docker Desktop these host paths are the Linux VM's, where the engine and its containers live.
  cadvisor: {
    httpClient: 'wget',
    hostMounts: ['/:/rootfs:ro', '/var/run:/var/run:ro', '/sys:/sys:ro', '/var/lib/docker/:/var/lib/docker:ro', '/dev/disk/:/dev/disk:ro'],
    privileged: true,
    devices: ['/dev/kmsg'],
  },
  inventory: demoService('inventory'),
  shop: demoService('shop'),
  // The alerting labs' webhook receiver: the demo image, another entry point (stack/apps/alert-sink.ts).
  // It runs the image inventory builds (one build per tag, see demoService); needing inventory makes Compose build
  // that image before it starts the sink.
  // It shares Alertmanager's network, so Alertmanager reaches it on 127.0.0.1 as natively (networkOf).
  'alert-sink': { httpClient: 'node', runsImageOf: 'inventory', needs: ['inventory'], networkOf: 'alertmanager' },
  // Lab 20's job runner: the demo image too. The student's job runs from the workspace mount, which has no
  // node_modules of its own; the runner resolves the packages a job imports (pg) from its own (job-runner.ts).
  'usage-job': { httpClient: 'node', runsImageOf: 'inventory', needs: ['inventory'] },
};

/**
 * The probe sidecar of a service whose image cannot probe itself (httpClient 'sidecar': Tempo, the collector).
 * A container named `<service>-ready` on an image the stack pulls anyway and that has busybox's wget
 * (Prometheus's: FROM quay.io/prometheus/busybox, see images.ts), doing nothing but sleep; its healthcheck runs
 * the service's readiness probe over the compose network. Compose marks it healthy once the service answers, so
 * `up --wait` still returns only when the service is ready, and whatever needs the service waits for its sidecar
 * (depends_on: service_healthy). It publishes nothing; it costs one sleeping busybox process.
 */
export const probeSidecar = {
  nameOf: (service: string) => `${service}-ready`,
  engine: 'prometheus',
  // busybox's sleep, for about 68 years; under the container's init (init: true) so that `stop` ends it at once.
  entrypoint: ['/bin/sleep', '2147483647'],
  httpClient: 'wget' as const,
};

/** A container that runs once and exits, started on demand: `docker compose --profile load run --rm k6`. */
export interface ComposeJob {
  name: string;
  title: string;
  role: string;
  engine: string;
  profiles: string[];
  needs: string[];
  /** Mounted read-only, relative to the repository root: repo path → container path. */
  repoMounts: Record<string, string>;
  workingDir: string;
  command: string[];
  /** Templates. */
  environment: Record<string, string>;
}

export const composeJobs: ComposeJob[] = [
  {
    name: 'k6',
    title: 'k6',
    role: "load generator: runs one script from k6/ and remote-writes its metrics to Prometheus",
    engine: 'k6',
    profiles: ['load'],
    needs: ['prometheus'],
    repoMounts: { k6: '/k6' },
    workingDir: '/k6',
    // The stack's smoke load by default; a lab passes its own script: run --rm k6 run … /k6/<script>.ts
    command: ['run', '--quiet', '--out', 'experimental-prometheus-rw', '--tag', 'testid=compose', '/k6/stack-smoke.ts'],
    // The same settings as k6/run.ts uses natively (a test compares them).
    environment: {
      K6_PROMETHEUS_RW_SERVER_URL: 'http://{{ addr.prometheus.http }}/api/v1/write',
      K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s',
      K6_PROMETHEUS_RW_TREND_STATS: 'p(95),p(99),avg,max',
      K6_NO_USAGE_REPORT: 'true',
      K6_AUTO_EXTENSION_RESOLUTION: 'false',
      TARGET_URL: 'http://{{ addr.prometheus.http }}/-/ready',
    },
  },
];
