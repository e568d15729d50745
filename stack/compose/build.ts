/**
 * Builds the Docker Compose stack from the same sources as the native runtime: stack/services.ts (what runs,
 * with which arguments and readiness probe), stack/versions.yaml (images and ports), the config templates under
 * stack/config/<service>/ (rendered with container addresses and paths) and stack/compose/overrides.ts (what only
 * containers need). The result is stack/compose.yaml plus the rendered configs under stack/compose/config/,
 * all committed; `npm run stack:compose` writes them and a test checks they are up to date.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, isMap, isScalar, isSeq, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { repoRoot } from '../../lib/paths.ts';
import { renderTemplate, type RenderValues } from '../render.ts';
import { services, type ServiceDefinition } from '../services.ts';
import { engineVersion } from '../versions.ts';
import { healthcheckFor, type ComposeHealthcheck } from './healthcheck.ts';
import { composeServices, composeValues, containerDirs, labProfile, leftOutOfCompose, logsVolume, overrideOf, profilesOf, projectName } from './model.ts';
import { generatedSecrets } from '../secrets.ts';
import { composeJobs, secret, type ComposeJob } from './overrides.ts';

export interface ComposeService {
  image: string;
  /** Our own images: built from the repository (context relative to stack/, dockerfile relative to the context). */
  build?: { context: string; dockerfile: string; args: Record<string, string> };
  pull_policy?: 'build';
  profiles?: string[];
  command?: string[];
  environment?: Record<string, string>;
  working_dir?: string;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: 'service_healthy' | 'service_started' }>;
  healthcheck?: ComposeHealthcheck;
  pid?: string;
  privileged?: boolean;
  devices?: string[];
  logging: { driver: string; options: Record<string, string> };
}

export interface ComposeDocument {
  name: string;
  services: Record<string, ComposeService>;
  volumes: Record<string, Record<string, never>>;
}

/** Repository-relative paths of the generated files, and what the generator derives from. */
export const composeYamlPath = 'stack/compose.yaml';
export const configOutputDir = 'stack/compose/config';

/** The workspace as compose sees it: the kit passes its own (O11Y_LAB_WORKSPACE); by hand, ../workspace. */
export const workspaceMountSource = '${O11Y_LAB_WORKSPACE:-../workspace}';

import { isVerbatim } from '../render.ts';

/** A literal dollar in compose.yaml is written twice; single ones are compose's own ${VAR} interpolation. */
const literal = (value: string) => value.replaceAll('$', '$$$$');

const templateOf = (service: string, file: string) => join(repoRoot, 'stack', 'config', service, file);

/** Does the service's config or command use this placeholder (dir.data, dir.workspace, dir.logs)? */
function uses(service: ServiceDefinition, key: string): boolean {
  const pattern = new RegExp(`\\{\\{\\s*${key.replace('.', '\\.')}\\s*\\}\\}`);
  const override = overrideOf(service.name);
  const texts = [
    ...service.configs.filter((f) => !isVerbatim(f)).map((f) => readFileSync(templateOf(service.name, f), 'utf8')),
    ...Object.values(override.extraConfigs ?? {}),
    ...service.args,
    ...Object.values(service.env ?? {}),
    ...Object.values(override.environment ?? {}),
  ];
  return texts.some((text) => pattern.test(text));
}

/**
 * The image a service runs: the one pinned in versions.yaml, or for our own builds (overrides.ts `build`) the
 * image name tagged with the engine's version in versions.yaml, built from that pinned image.
 */
export function imageOf(service: ServiceDefinition): string {
  const engine = engineVersion(service.engine);
  const build = overrideOf(service.name).build;
  if (build) return `${build.image}:${engine.version}`;
  return engine.image ?? missingImage(service.engine);
}

/** The build section of our own images: the repository root as context (stack/.. from compose.yaml). */
function buildOf(service: ServiceDefinition): ComposeService['build'] {
  const build = overrideOf(service.name).build;
  if (!build) return undefined;
  return { context: '..', dockerfile: build.dockerfile, args: { BASE_IMAGE: engineVersion(service.engine).image ?? missingImage(service.engine) } };
}

const renderAll = (texts: string[], values: RenderValues, where: string) => texts.map((t) => renderTemplate(t, values, where));

const dependsOn = (needs: string[], all: ServiceDefinition[]): ComposeService['depends_on'] => {
  if (needs.length === 0) return undefined;
  return Object.fromEntries(
    needs.map((name) => {
      const needed = all.find((s) => s.name === name);
      if (!needed) throw new Error(`stack/compose: "${name}" is needed but is not a compose service`);
      // Wait for healthy where a healthcheck exists; otherwise for the container to have started.
      return [name, { condition: hasHealthcheck(needed) ? 'service_healthy' : 'service_started' }];
    }),
  );
};

export function hasHealthcheck(service: ServiceDefinition): boolean {
  return healthcheckOf(service) !== undefined;
}

function healthcheckOf(service: ServiceDefinition): ComposeHealthcheck | undefined {
  const port = engineVersion(service.engine).ports[service.ready.port];
  if (port === undefined) throw new Error(`${service.name}: ready.port "${service.ready.port}" is not in stack/versions.yaml`);
  const check = healthcheckFor(service.ready, port, overrideOf(service.name).httpClient, service.startTimeoutMs);
  return check && { ...check, test: check.test.map(literal) };
}

/** Logs stay with Docker, bounded: a lab left running for days does not fill the disk. */
const logging = () => ({ driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } });

/** The ports the service binds (services.ts), published under the same numbers on loopback. */
const publish = (service: ServiceDefinition) =>
  service.ports.map((name) => engineVersion(service.engine).ports[name] ?? missingPort(service, name)).map((port) => `127.0.0.1:${port}:${port}`);

function missingPort(service: ServiceDefinition, name: string): never {
  throw new Error(`${service.name}: port "${name}" is not in stack/versions.yaml engines.${service.engine}.ports`);
}

function serviceEntry(service: ServiceDefinition, all: ServiceDefinition[]): ComposeService {
  const override = overrideOf(service.name);
  const values = composeValues(service.name);
  const where = `stack/services.ts (${service.name} args)`;
  const command = renderAll([...(override.args ?? service.args), ...(override.extraArgs ?? [])], values, where).map(literal);
  // The service's own environment (the same as natively), then what only its image needs.
  const environment = Object.fromEntries([
    ...Object.entries(service.env ?? {}).map(([key, value]) => [key, renderTemplate(value, values, `stack/services.ts (${service.name} env)`)]),
    ...Object.entries(override.environment ?? {}).map(([key, value]) => [key, renderTemplate(value, values, `stack/compose/overrides.ts (${service.name} environment)`)]),
    // Generated secrets, filled in by compose from .env.
    ...(service.secrets ?? []).map((name) => [name, secret(name)]),
  ]);
  const hasConfigs = service.configs.length > 0 || Object.keys(override.extraConfigs ?? {}).length > 0;
  const volumes = [
    ...(hasConfigs ? [`./compose/config/${service.name}:${containerDirs.config(service.name)}:ro`] : []),
    ...(uses(service, 'dir.data') ? [`${volumeName(service.name)}:${values['dir.data']}`] : []),
    ...(uses(service, 'dir.workspace') ? [`${workspaceMountSource}:${containerDirs.workspace}:ro`] : []),
    // The demo services' logs: written by them, read by log shippers.
    ...(uses(service, 'dir.logs') ? [`${logsVolume}:${containerDirs.logs}${override.writesLogs ? '' : ':ro'}`] : []),
    ...(override.hostMounts ?? []),
  ];
  const needs = [...new Set([...service.needs, ...(override.needs ?? [])])];
  const build = buildOf(service);
  const profiles = profilesOf(service);
  return {
    image: imageOf(service),
    // Built on every `up` (from the build cache when nothing changed), so the containers run the code of this
    // checkout; never pulled, since no registry has this image.
    ...(build ? { build, pull_policy: 'build' as const } : {}),
    ...(profiles ? { profiles } : {}),
    ...(command.length > 0 ? { command } : {}),
    ...(Object.keys(environment).length > 0 ? { environment } : {}),
    ports: publish(service),
    ...(volumes.length > 0 ? { volumes } : {}),
    ...(needs.length > 0 ? { depends_on: dependsOn(needs, all) } : {}),
    ...(healthcheckOf(service) ? { healthcheck: healthcheckOf(service) } : {}),
    ...(override.pid ? { pid: override.pid } : {}),
    ...(override.privileged ? { privileged: true } : {}),
    ...(override.devices ? { devices: override.devices } : {}),
    logging: logging(),
  };
}

function jobEntry(job: ComposeJob, all: ServiceDefinition[]): ComposeService {
  const values = composeValues(job.name);
  return {
    image: engineVersion(job.engine).image ?? missingImage(job.engine),
    profiles: job.profiles,
    command: job.command.map(literal),
    environment: Object.fromEntries(Object.entries(job.environment).map(([k, v]) => [k, renderTemplate(v, values, `stack/compose/overrides.ts (${job.name})`)])),
    working_dir: job.workingDir,
    volumes: Object.entries(job.repoMounts).map(([from, to]) => `../${from}:${to}:ro`),
    depends_on: dependsOn(job.needs, all),
    logging: logging(),
  };
}

function missingImage(engine: string): never {
  throw new Error(`stack/versions.yaml: engines.${engine}.image is missing; the compose stack needs a pinned image`);
}

/** A short-syntax volume, source:target[:mode]; the source may be a ${VAR:-default} holding colons itself. */
export function parseVolume(volume: string): { source: string; target: string; mode?: string } {
  const sourceEnd = volume.startsWith('${') ? volume.indexOf('}') + 1 : volume.indexOf(':');
  const [target, mode] = volume.slice(sourceEnd + 1).split(':') as [string, string | undefined];
  return { source: volume.slice(0, sourceEnd), target, ...(mode ? { mode } : {}) };
}

export const volumeName = (service: string) => `${service.replaceAll('_', '-')}-data`;

/** The compose document as data. */
export function buildComposeDocument(): ComposeDocument {
  const all = composeServices();
  const services: Record<string, ComposeService> = {};
  for (const service of all) services[service.name] = serviceEntry(service, all);
  for (const job of composeJobs) services[job.name] = jobEntry(job, all);
  const volumes: Record<string, Record<string, never>> = {};
  for (const entry of Object.values(services)) {
    for (const volume of entry.volumes ?? []) {
      const { source } = parseVolume(volume);
      if (/^[a-z0-9][a-z0-9_.-]*$/.test(source)) volumes[source] = {};
    }
  }
  return { name: projectName, services, volumes };
}

const header = [
  'stack/compose.yaml — the lab stack in Docker Compose.',
  '',
  'GENERATED by `npm run stack:compose` from stack/services.ts, stack/compose/overrides.ts, stack/versions.yaml',
  'and the templates in stack/config/<engine>/ (rendered into stack/compose/config/). Do not edit it by hand:',
  'change those files and run the generator; `npm test` fails while this file is out of date.',
  'Reference: https://docs.docker.com/reference/compose-file/',
  '',
  'The kit runs it for you (npm run stack:up, with Docker); by hand, from the repository root:',
  '  docker compose -f stack/compose.yaml --env-file .env up -d --wait',
  '.env holds the generated secrets and is written on the first npm run stack:up (git-ignored):',
  ...Object.entries(generatedSecrets).map(([name, what]) => `  ${name}: ${what}`),
  'Every port is published on 127.0.0.1 only.',
  'The demo services (shop, inventory) run our own image, built from stack/apps/Dockerfile by `up` itself.',
  ...services.filter((s) => s.labOnly).map((s) => `${s.name} is in the "${labProfile}" profile: a lab starts it by name (up -d ${s.name}); a plain \`up\` does not.`),
  ...services.filter((s) => leftOutOfCompose(s)).map((s) => `Not in this file: ${s.name} — ${leftOutOfCompose(s)}.`),
];

/** Comment text for the yaml library: one leading space per line, wrapped to the width of the file. */
function commentText(lines: string[], width = 112): string {
  const wrapped = lines.flatMap((line) => {
    const out: string[] = [];
    let rest = line;
    while (rest.length > width) {
      const cut = rest.lastIndexOf(' ', width);
      if (cut <= 0) break;
      out.push(rest.slice(0, cut));
      rest = `  ${rest.slice(cut + 1)}`;
    }
    return [...out, rest];
  });
  return wrapped.map((line) => (line ? ` ${line}` : '')).join('\n');
}

const comments: Record<string, string> = {
  image: 'Pinned in stack/versions.yaml.',
  build: 'Our own image, built from this repository (context: its root) on the base image pinned in stack/versions.yaml.',
  pull_policy: "Built on every `up`, from the build cache when nothing changed, so the containers run this checkout's code; never pulled.",
  command: "The same flags as the native process (stack/services.ts), with the container's addresses and paths.",
  ports: 'Published on loopback only: reachable from this machine, not from the network.',
  depends_on: 'Started only once these are ready.',
  healthcheck: "The readiness probe of stack/services.ts, run inside the container.",
  environment: "Variables the image's entrypoint reads; ${NAME:?…} ones come from .env, and compose refuses to start without them.",
  volumes: "Rendered configs (read-only), a named volume for data, and the student's workspace where a config reads it.",
  pid: "The host's process table, so that process metrics describe this machine and not the container.",
  privileged: "cAdvisor's documented setup: it reads every container's cgroups and the kernel log.",
  logging: 'Logs stay with Docker (npm run stack:logs <service>), bounded so a long-running lab cannot fill the disk.',
};

/** How a service that a plain `up` leaves out is started. */
function profilesComment(name: string): string {
  const job = composeJobs.find((j) => j.name === name);
  if (job) return `Not started by \`up\`: run it on demand (docker compose --profile ${job.profiles[0]} run --rm ${name}).`;
  return `Started only for a lab that needs it (npm run lab:start), or by name: docker compose up -d ${name}.`;
}

/** compose.yaml's text: the document, with a comment on each service and on the blocks that need one. */
export function renderComposeYaml(document: ComposeDocument): string {
  const doc = new Document(document, { aliasDuplicateObjects: false });
  doc.commentBefore = commentText(header);
  const services = doc.get('services') as YAMLMap;
  const definitions = [...composeServices(), ...composeJobs];
  const commented = new Set<string>();
  services.items.forEach((pair, index) => {
    const key = pair.key as Scalar<string>;
    const definition = definitions.find((d) => d.name === key.value)!;
    const reason = 'ready' in definition && !hasHealthcheck(definition) && overrideOf(definition.name).noHealthcheckReason;
    key.commentBefore = commentText([`${definition.title} — ${definition.role}`, ...(reason ? [`No healthcheck: ${reason}`] : [])]);
    if (index > 0) key.spaceBefore = true;
    if (!isMap(pair.value)) return;
    for (const field of pair.value.items as Pair<Scalar<string>, unknown>[]) {
      // Each profiled service says how it is started; other blocks are commented once, on the first service that
      // has them, so the file teaches without noise.
      if (field.key.value === 'profiles') {
        field.key.commentBefore = commentText([profilesComment(key.value)]);
        continue;
      }
      const comment = comments[String(field.key.value)];
      if (comment && !commented.has(String(field.key.value))) {
        field.key.commentBefore = commentText([comment]);
        commented.add(String(field.key.value));
      }
      if (field.key.value === 'healthcheck' && isMap(field.value)) {
        const test = field.value.get('test', true);
        if (isSeq(test)) test.flow = true;
      }
    }
  });
  const volumesPair = isMap(doc.contents) ? doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'volumes') : undefined;
  if (volumesPair && isScalar(volumesPair.key)) {
    volumesPair.key.spaceBefore = true;
    volumesPair.key.commentBefore = commentText([
      `Named volumes: the data of each engine, and ${logsVolume} (the demo services' JSON logs, which log shippers read).`,
      'npm run lab:reset -- --all removes them; stack:down keeps them.',
    ]);
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** Every generated file: repository-relative path → content. */
export function buildComposeFiles(): Map<string, string> {
  const files = new Map<string, string>();
  files.set(composeYamlPath, renderComposeYaml(buildComposeDocument()));
  for (const service of composeServices()) {
    const values = composeValues(service.name);
    for (const file of service.configs) {
      const template = templateOf(service.name, file);
      const text = readFileSync(template, 'utf8');
      const relative = `stack/config/${service.name}/${file}`;
      const content = isVerbatim(file)
        ? text
        : `# GENERATED from ${relative} by npm run stack:compose — edit that file, not this one.\n${renderTemplate(text, values, relative)}`;
      files.set(`${configOutputDir}/${service.name}/${file}`, content);
    }
    for (const [file, template] of Object.entries(overrideOf(service.name).extraConfigs ?? {})) {
      const where = `stack/compose/overrides.ts (${service.name} extraConfigs ${file})`;
      files.set(`${configOutputDir}/${service.name}/${file}`, `# GENERATED from ${where} by npm run stack:compose — compose only.\n${renderTemplate(template, values, where)}`);
    }
  }
  return files;
}
