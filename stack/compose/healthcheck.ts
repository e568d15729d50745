/**
 * Turns a service's readiness probe (stack/probes.ts — the one definition of "ready") into a compose
 * healthcheck that runs inside the container, with whatever client the image has. Compose then holds back
 * `depends_on: condition: service_healthy` and `up --wait` until the probe passes.
 * Reference: https://docs.docker.com/reference/compose-file/services/#healthcheck
 */
import type { Probe } from '../probes.ts';
import type { ComposeOverride } from './overrides.ts';

export interface ComposeHealthcheck {
  test: string[];
  interval: string;
  timeout: string;
  retries: number;
  start_period: string;
}

/**
 * The probe command inside a container; undefined when the image cannot run one. `host` is 127.0.0.1 when the
 * container probes itself, the service's name when a probe sidecar probes it over the compose network.
 */
export function probeCommand(probe: Probe, port: number, httpClient: ComposeOverride['httpClient'], host = '127.0.0.1'): string[] | undefined {
  switch (probe.kind) {
    case 'http': {
      const url = `http://${host}:${port}${probe.path}`;
      // Both exit non-zero on a refused connection and on an HTTP error status, like runProbe's response.ok.
      if (httpClient === 'wget') return ['CMD', 'wget', '-q', '-O', '/dev/null', url];
      if (httpClient === 'curl') return ['CMD', 'curl', '-fsS', '-o', '/dev/null', url];
      // Node.js images have neither: Node's own fetch, with the same exit codes.
      if (httpClient === 'node') return ['CMD', 'node', '-e', `fetch('${url}').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`];
      // Loki's distroless image has no client at all, but the binary probes itself (cmd/loki/health.go, in v3.7.6 and from v3.6.5 on):
      // `loki -health` GETs -health.url before reading any config and exits 0 only on HTTP 200.
      if (httpClient === 'loki-health') return ['CMD', '/usr/bin/loki', '-health', `-health.url=${url}`];
      return undefined;
    }
    case 'postgres':
      // Accepting connections on the TCP port: what the SSLRequest probe checks from outside.
      return ['CMD', 'pg_isready', '-q', '-h', '127.0.0.1', '-p', String(port)];
    case 'redis':
      // redis-cli exits 0 even for an error reply (LOADING…): only +PONG counts, as in runProbe.
      return ['CMD-SHELL', `redis-cli -h 127.0.0.1 -p ${port} ping | grep -q PONG`];
  }
}

export function healthcheckFor(probe: Probe, port: number, httpClient: ComposeOverride['httpClient'], startTimeoutMs: number, host?: string): ComposeHealthcheck | undefined {
  const test = probeCommand(probe, port, httpClient, host);
  if (!test) return undefined;
  return {
    test,
    // Probe every 5 s; failures during start_period (the service's start timeout) do not count against it.
    interval: '5s',
    timeout: '3s',
    retries: 3,
    start_period: `${Math.ceil(startTimeoutMs / 1000)}s`,
  };
}
