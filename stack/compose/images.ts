/**
 * What each pinned image contains that a compose healthcheck can run, with the evidence. No Docker engine is
 * needed to trust compose.yaml's healthchecks: build.test.ts checks that every healthcheck calls only programs
 * listed here for its image (images.test.ts). The table is keyed by the exact image reference pinned in
 * stack/versions.yaml, so bumping an image fails that test until someone has read the new image's Dockerfile
 * and updated its row — the way Loki 3.6 dropped busybox (and wget) without anyone noticing.
 *
 * `tools` are programs on the image's PATH (or absolute paths); `sh` means a shell for CMD-SHELL healthchecks.
 * `evidence` says where that was read, and at which version. Our own demo image is listed under its base image
 * (engines.shop.image), which is what its Dockerfile starts FROM.
 */
export interface ImageTools {
  /** What the image is built on, in one phrase. */
  base: string;
  tools: string[];
  evidence: string;
}

/** busybox's applets that healthchecks use (sh, wget); busybox has many more. */
const busybox = ['sh', 'wget'];

export const imageTools: Record<string, ImageTools> = {
  'prom/prometheus:v3.15.0': {
    base: 'quay.io/prometheus/busybox',
    tools: [...busybox, 'prometheus', 'promtool'],
    evidence:
      'prometheus/prometheus Dockerfile: FROM quay.io/prometheus/busybox-${OS}-${ARCH}:latest, COPY prometheus and promtool ' +
      'to /bin (read at v3.14.0 and at main d15adb9ad7 of 2026-08-21; the v3.15.0 tag was not in the snapshot read, ' +
      'and the Dockerfile is unchanged between those two)',
  },
  'prom/alertmanager:v0.31.1': {
    base: 'quay.io/prometheus/busybox',
    tools: [...busybox, 'alertmanager', 'amtool'],
    evidence: 'prometheus/alertmanager Dockerfile at v0.31.1: FROM quay.io/prometheus/busybox-${OS}-${ARCH}:latest',
  },
  'prom/node-exporter:v1.12.1': {
    base: 'quay.io/prometheus/busybox',
    tools: [...busybox, 'node_exporter'],
    evidence: 'prometheus/node_exporter Dockerfile at v1.12.1: FROM quay.io/prometheus/busybox-${OS}-${ARCH}:latest',
  },
  'grafana/loki:3.7.6': {
    base: 'gcr.io/distroless/static:nonroot (no shell, no busybox)',
    tools: ['/usr/bin/loki'],
    evidence:
      'grafana/loki cmd/loki/Dockerfile at v3.7.6: final stage FROM gcr.io/distroless/static:nonroot, only /usr/bin/loki ' +
      'copied in (busybox removed in 3.6.0, grafana/loki#20149); cmd/loki/health.go at v3.7.6: `loki -health ' +
      '[-health.url=…]` GETs the URL and exits 0 only on HTTP 200 (grafana/loki#20313)',
  },
  'grafana/tempo:2.10.8': {
    base: 'gcr.io/distroless/static-debian12 (no shell, no busybox)',
    tools: ['/tempo'],
    evidence:
      'grafana/tempo cmd/tempo/Dockerfile at v2.10.8: final stage FROM gcr.io/distroless/static-debian12@sha256:cd64…, ' +
      'only /tempo copied in (busybox is in the setup stage only); cmd/tempo has no health or probe command',
  },
  'otel/opentelemetry-collector-contrib:0.159.0': {
    base: 'scratch',
    tools: ['/otelcol-contrib'],
    evidence:
      'open-telemetry/opentelemetry-collector-releases distributions/otelcol-contrib/Dockerfile at v0.159.0: FROM scratch, ' +
      'COPY otelcol-contrib and the CA certificates only; `otelcol-contrib --help` lists no probe command',
  },
  'postgres:15.10': {
    base: 'debian:bookworm-slim',
    tools: ['sh', 'bash', 'pg_isready', 'psql', 'postgres'],
    evidence:
      'docker-library/postgres 15/bookworm/Dockerfile: FROM debian:bookworm-slim, installs postgresql-15 and puts ' +
      '/usr/lib/postgresql/15/bin (pg_isready among its client programs) on PATH (read at a 15.8 revision, not at 15.10)',
  },
  'redis:7.0.15': {
    base: 'debian:bookworm-slim',
    tools: ['sh', 'grep', 'redis-cli', 'redis-server'],
    evidence:
      'the official redis image (docker-library/redis 7.0/debian, FROM debian:bookworm-slim) installs redis-server and ' +
      'redis-cli; sh and grep are in every Debian base (dash, grep are Essential). Its Dockerfile was not read here',
  },
  'influxdb:1.8.10': {
    base: 'buildpack-deps:*-curl (Debian)',
    tools: ['sh', 'curl', 'wget', 'influxd', 'influx'],
    evidence:
      'influxdata/influxdata-docker influxdb/1.8/Dockerfile: FROM buildpack-deps:<debian>-curl, which carries curl and ' +
      'wget (read at a 1.8.0 revision, not at 1.8.10)',
  },
  'grafana/grafana:12.3.1': {
    base: 'alpine (busybox)',
    tools: [...busybox, 'grafana'],
    evidence:
      'grafana/grafana Dockerfile: ARG BASE_IMAGE=alpine:…, final stage FROM ${BASE_IMAGE} (read in older releases ' +
      'only, not at 12.3.1; grafana/grafana is the Alpine variant, grafana/grafana:*-ubuntu the other)',
  },
  'ghcr.io/google/cadvisor:0.54.0': {
    base: 'alpine:3.22',
    tools: [...busybox, 'cadvisor'],
    evidence:
      "google/cadvisor deploy/Dockerfile at v0.54.0: FROM mirror.gcr.io/library/alpine:3.22, and the image's own HEALTHCHECK " +
      'runs `wget --quiet --tries=1 --spider`',
  },
  'node:20.19.5-bookworm-slim': {
    base: 'debian:bookworm-slim',
    tools: ['sh', 'node', 'npm'],
    evidence:
      'the official node image, bookworm-slim variant: Debian bookworm-slim with Node.js and npm, no curl or wget (its ' +
      'Dockerfile was not read here; stack/apps/Dockerfile runs npm and node in it, and adds no client)',
  },
  'grafana/k6:2.2.0': {
    base: 'not read',
    tools: ['k6'],
    evidence: 'a one-shot job with no healthcheck: only its entrypoint, k6, is relied on; listed so that every pinned image has a row',
  },
};

/** The programs a healthcheck's `test` runs: CMD's first word, or each command of a CMD-SHELL pipeline (plus sh). */
export function healthcheckPrograms(test: string[]): string[] {
  const [form, ...rest] = test;
  if (form === 'CMD') return [rest[0]!];
  if (form === 'CMD-SHELL') {
    const commands = rest.join(' ').split(/\|\|?|&&|;/).map((part) => part.trim().split(/\s+/)[0]!).filter(Boolean);
    return ['sh', ...commands];
  }
  throw new Error(`healthcheck test must start with CMD or CMD-SHELL, not ${form}`);
}
