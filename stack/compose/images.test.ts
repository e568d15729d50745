/**
 * The faults that stop `docker compose up` or leave a feature empty, caught without a Docker engine: every
 * healthcheck calls a program its image has (images.ts, with the evidence), Loki's own probe behaves as the
 * healthcheck needs (run with the pinned native binary), every published port's listener binds every interface
 * of its container, and the images and host mounts that differ between Docker setups are the right ones.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../lib/paths.ts';
import { resolveEngine } from '../binaries.ts';
import { engineVersion } from '../versions.ts';
import { composeYamlPath, type ComposeDocument } from './build.ts';
import { parseVolume } from './model.ts';
import { healthcheckPrograms, imageTools } from './images.ts';
import { composeServices } from './model.ts';
import { composeOverrides, hostRootPropagationVariable } from './overrides.ts';

const committed = parse(readFileSync(join(repoRoot, composeYamlPath), 'utf8')) as ComposeDocument;
const generated = (service: string, file: string) => readFileSync(join(repoRoot, 'stack', 'compose', 'config', service, file), 'utf8');

/** The image whose contents a service's container has: the pinned one, or the base image of our own build. */
function baseImageOf(name: string): string {
  const service = committed.services[name]!;
  if (service.build) return service.build.args.BASE_IMAGE!;
  const builder = Object.values(committed.services).find((s) => s.build && s.image === service.image);
  return builder ? builder.build!.args.BASE_IMAGE! : service.image;
}

describe('healthchecks call only programs their image has (stack/compose/images.ts)', () => {
  it('has a row, with its evidence, for every image compose.yaml runs', () => {
    for (const name of Object.keys(committed.services)) {
      const image = baseImageOf(name);
      expect(imageTools[image], `${name}: no row for ${image} in stack/compose/images.ts — read its Dockerfile and add one`).toBeDefined();
      expect(imageTools[image]!.evidence.length, image).toBeGreaterThan(20);
    }
  });

  it.each(Object.entries(committed.services).filter(([, s]) => s.healthcheck))('%s: its healthcheck runs what the image contains', (name, service) => {
    const image = baseImageOf(name);
    const programs = healthcheckPrograms(service.healthcheck!.test);
    for (const program of programs) expect(imageTools[image]?.tools ?? [], `${name} (${image}) runs ${program}`).toContain(program);
  });

  it('reads the programs of CMD and CMD-SHELL tests', () => {
    expect(healthcheckPrograms(['CMD', 'wget', '-q', 'http://x/'])).toEqual(['wget']);
    expect(healthcheckPrograms(['CMD-SHELL', 'redis-cli -p 1 ping | grep -q PONG'])).toEqual(['sh', 'redis-cli', 'grep']);
    expect(() => healthcheckPrograms(['NONE'])).toThrow(/CMD/);
  });

  it('catches a healthcheck whose image lacks the program (Loki 3.6+ has no wget)', () => {
    expect(imageTools['grafana/loki:3.7.6']!.tools).not.toContain('wget');
    expect(imageTools['grafana/tempo:2.10.8']!.tools).not.toContain('wget');
  });
});

/** Runs the pinned native Loki binary, the same build as the image's /usr/bin/loki; undefined where it is not installed. */
const lokiBinary = resolveEngine(engineVersion('loki'))?.binaries.loki;

describe("Loki's healthcheck: `loki -health` of the pinned release", () => {
  const exitCode = (url: string) =>
    new Promise<number | null>((resolve) => {
      execFile(lokiBinary!, ['-health', `-health.url=${url}`], { timeout: 15_000 }, (error) => resolve(error ? (error.code as number | null) : 0));
    });

  it.skipIf(!lokiBinary)(`exits 0 on HTTP 200 only, and 1 on an error status or a refused connection${lokiBinary ? '' : ' — skipped: no native loki binary (npm run engines:install)'}`, async () => {
    const server = createServer((req, res) => res.writeHead(req.url === '/ready' ? 200 : 503).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await exitCode(`http://127.0.0.1:${port}/ready`)).toBe(0);
      expect(await exitCode(`http://127.0.0.1:${port}/starting`)).toBe(1);
      expect(await exitCode('http://127.0.0.1:1/ready')).toBe(1);
    } finally {
      server.close();
    }
    // And compose.yaml's healthcheck is exactly that command, on Loki's own readiness URL.
    expect(committed.services.loki!.healthcheck!.test).toEqual(['CMD', '/usr/bin/loki', '-health', `-health.url=http://127.0.0.1:${engineVersion('loki').ports.http}/ready`]);
  });
});

/**
 * Addresses inside the container that are not listeners: an instance's advertised address in its in-memory ring,
 * and addresses the process dials to reach itself (its gRPC listener is on every interface, so loopback reaches it).
 */
const notListeners: { service: string; line: RegExp; why: string }[] = [
  { service: 'loki', line: /^\s*instance_addr: 127\.0\.0\.1$/, why: "common.instance_addr: the in-memory ring's own address" },
  { service: 'loki', line: /^\s*scheduler_address: 127\.0\.0\.1:\d+$/, why: 'frontend and frontend_worker dial their own process\'s scheduler' },
  { service: 'tempo', line: /^\s*address: 127\.0\.0\.1$/, why: "ingester.lifecycler.address: the in-memory ring's own address" },
];

describe('every published port has a listener on all interfaces of its container', () => {
  const loopback = /\b(127\.\d+\.\d+\.\d+|localhost|\[?::1\]?)\b/;

  it.each(composeServices().filter((s) => s.ports.length > 0))('$name: its rendered configs, flags and environment bind no loopback address', (service) => {
    const entry = committed.services[service.name]!;
    const texts = [
      ...service.configs.filter((file) => !file.endsWith('.json')).map((file) => ({ where: file, text: generated(service.name, file) })),
      ...(entry.command ?? []).map((arg) => ({ where: 'command', text: arg })),
      ...Object.entries(entry.environment ?? {}).map(([key, value]) => ({ where: `environment ${key}`, text: value })),
    ];
    for (const { where, text } of texts) {
      for (const line of text.split('\n').filter((l) => !/^\s*[#;]/.test(l))) {
        if (!loopback.test(line)) continue;
        const allowed = notListeners.find((n) => n.service === service.name && n.line.test(line));
        expect(allowed, `${service.name} ${where}: "${line.trim()}" binds loopback inside the container; use {{ listen }}`).toBeDefined();
      }
    }
  });

  it('catches a listener left on loopback (the InfluxDB RPC and Tempo memberlist ones were)', () => {
    expect(generated('influxdb', 'influxdb.conf')).toMatch(/^bind-address = "0\.0\.0\.0:8088"$/m);
    expect(parse(generated('tempo', 'tempo.yaml')).memberlist.bind_addr).toEqual(['0.0.0.0']);
  });
});

describe('what differs between Docker setups', () => {
  it("mounts the host root for node_exporter with a propagation the driver can change (rslave on Linux, rprivate on Docker Desktop)", () => {
    const mount = committed.services.node_exporter!.volumes!.map(parseVolume).find((v) => v.target === '/host')!;
    expect(mount.source).toBe('/');
    expect(mount.mode).toBe(`ro,\${${hostRootPropagationVariable}:-rslave}`);
    expect(composeOverrides.node_exporter!.pid).toBe('host');
  });

  it('runs a cAdvisor that sees containers on the containerd image store: 0.54.0 or later, from ghcr.io/google/cadvisor', () => {
    const engine = engineVersion('cadvisor');
    const [major, minor] = engine.version.split('.').map(Number) as [number, number];
    expect(major > 0 || minor >= 54, engine.version).toBe(true);
    // Releases from 0.53 on are published there, tagged with the bare version.
    expect(committed.services.cadvisor!.image).toBe(`ghcr.io/google/cadvisor:${engine.version}`);
  });

  it("turns on Loki's pattern ingester, which Grafana's Logs Drilldown reads its Patterns from", () => {
    const loki = parse(generated('loki', 'loki.yaml')) as { pattern_ingester?: { enabled?: boolean } };
    expect(loki.pattern_ingester?.enabled).toBe(true);
  });
});
