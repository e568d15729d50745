/**
 * Builds the Docker Compose stack from the same sources as the native runtime: stack/services.ts (what runs,
 * with which arguments and readiness probe), stack/versions.yaml (images and ports), the config templates under
 * stack/config/<service>/ (rendered with container addresses and paths) and stack/compose/overrides.ts (what only
 * containers need). stack/compose/facts.ts gathers these once per service; this file only renders the result:
 * stack/compose.yaml plus the rendered configs under stack/compose/config/, all committed.
 * `npm run stack:compose` writes them and a test checks they are up to date.
 */
import { Document, isMap, isScalar, isSeq, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { renderTemplate } from '../render.ts';
import { generatedSecrets } from '../secrets.ts';
import { services } from '../services.ts';
import { engineVersion } from '../versions.ts';
import { composeFacts, literal, missingImage, type ImageBuild, type ServiceFacts } from './facts.ts';
import type { ComposeHealthcheck } from './healthcheck.ts';
import { composeValues, containerDirs, labProfile, leftOutOfCompose, logsVolume, parseVolume, profilesOf, projectName } from './model.ts';
import { composeJobs, probeSidecar, secret, type ComposeJob } from './overrides.ts';

export interface ComposeService {
  image: string;
  build?: ImageBuild;
  pull_policy?: 'build' | 'never';
  profiles?: string[];
  entrypoint?: string[];
  init?: boolean;
  command?: string[];
  environment?: Record<string, string>;
  working_dir?: string;
  network_mode?: string;
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

/** Logs stay with Docker, bounded: a lab left running for days does not fill the disk. */
const logging = () => ({ driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } });

/**
 * What `needs` becomes: wait for healthy where the needed service has a healthcheck, for its probe sidecar to be
 * healthy where one probes it, else for it to have started. What it only `calls` is started with it and not
 * waited for.
 */
function dependsOn(needs: string[], all: Map<string, ServiceFacts>, calls: string[] = []): ComposeService['depends_on'] {
  if (needs.length === 0 && calls.length === 0) return undefined;
  const known = (name: string) => {
    const service = all.get(name);
    if (!service) throw new Error(`stack/compose: "${name}" is needed but is not a compose service`);
    return service;
  };
  const needed = (name: string) => {
    const service = known(name);
    if (service.sidecar) return [service.sidecar.name, { condition: 'service_healthy' }] as const;
    return [name, { condition: service.healthcheck ? 'service_healthy' : 'service_started' }] as const;
  };
  return Object.fromEntries([
    ...needs.map(needed),
    ...calls.filter((name) => !needs.includes(name) && known(name)).map((name) => [name, { condition: 'service_started' }] as const),
  ]);
}

/** The probe sidecar of a service (overrides.ts probeSidecar): sleeps, and its healthcheck probes the service. */
function sidecarEntry(facts: ServiceFacts, sidecar: NonNullable<ServiceFacts['sidecar']>): ComposeService {
  const profiles = profilesOf(facts.service);
  return {
    image: sidecar.image,
    ...(profiles ? { profiles } : {}),
    entrypoint: probeSidecar.entrypoint,
    init: true,
    depends_on: { [facts.service.name]: { condition: 'service_started' } },
    healthcheck: sidecar.healthcheck,
    logging: logging(),
  };
}

/** One service's compose entry, from its facts alone (and the others', for depends_on). */
function serviceEntry(facts: ServiceFacts, all: Map<string, ServiceFacts>): ComposeService {
  const { service, override, values } = facts;
  const where = `stack/services.ts (${service.name} args)`;
  const command = [...(override.args ?? service.args), ...(override.extraArgs ?? [])].map((arg) => literal(renderTemplate(arg, values, where)));
  // The service's own environment (the same as natively), then what only its image needs.
  const environment = Object.fromEntries([
    ...Object.entries(service.env ?? {}).map(([key, value]) => [key, renderTemplate(value, values, `stack/services.ts (${service.name} env)`)]),
    ...Object.entries(override.environment ?? {}).map(([key, value]) => [key, renderTemplate(value, values, `stack/compose/overrides.ts (${service.name} environment)`)]),
    // Generated secrets, filled in by compose from .env.
    ...(service.secrets ?? []).map((name) => [name, secret(name)]),
  ]);
  const hasConfigs = facts.templates.length > 0 || Object.keys(override.extraConfigs ?? {}).length > 0;
  const configSource = override.liveConfigVariable ? `\${${override.liveConfigVariable}:-./compose/config/${service.name}}` : `./compose/config/${service.name}`;
  const volumes = [
    ...(hasConfigs ? [`${configSource}:${containerDirs.config(service.name)}:ro`] : []),
    ...(facts.uses.data ? [`${volumeName(service.name)}:${values['dir.data']}`] : []),
    ...(facts.uses.workspace ? [`${workspaceMountSource}:${containerDirs.workspace}:ro`] : []),
    // The demo services' logs: written by them, read by log shippers.
    ...(facts.uses.logs ? [`${logsVolume}:${containerDirs.logs}${override.writesLogs ? '' : ':ro'}`] : []),
    ...(override.hostMounts ?? []),
  ];
  const profiles = profilesOf(service);
  return {
    image: facts.image,
    // Built on every `up` (from the build cache when nothing changed), so the containers run the code of this
    // checkout; never pulled, since no registry has this image.
    ...(facts.build ? { build: facts.build, pull_policy: 'build' as const } : {}),
    // The image another service builds (overrides.ts runsImageOf): neither built again nor pulled.
    ...(facts.runsImageOf ? { pull_policy: 'never' as const } : {}),
    ...(profiles ? { profiles } : {}),
    ...(command.length > 0 ? { command } : {}),
    ...(Object.keys(environment).length > 0 ? { environment } : {}),
    // A container in another's network publishes nothing itself: that one publishes its ports (networkOf).
    ...(override.networkOf ? { network_mode: `service:${override.networkOf}` } : { ports: publishedBy(facts, all).map((port) => `127.0.0.1:${port}:${port}`) }),
    ...(volumes.length > 0 ? { volumes } : {}),
    ...(facts.needs.length + facts.calls.length > 0 ? { depends_on: dependsOn(facts.needs, all, facts.calls) } : {}),
    ...(facts.healthcheck ? { healthcheck: facts.healthcheck } : {}),
    ...(override.pid ? { pid: override.pid } : {}),
    ...(override.privileged ? { privileged: true } : {}),
    ...(override.devices ? { devices: override.devices } : {}),
    logging: logging(),
  };
}

/** The ports a service publishes: its own, and those of the services that share its network. */
function publishedBy(facts: ServiceFacts, all: Map<string, ServiceFacts>): number[] {
  const guests = [...all.values()].filter((f) => f.override.networkOf === facts.service.name);
  return [...facts.ports, ...guests.flatMap((guest) => guest.ports)];
}

function jobEntry(job: ComposeJob, all: Map<string, ServiceFacts>): ComposeService {
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

export const volumeName = (service: string) => `${service.replaceAll('_', '-')}-data`;

/** The compose document as data. */
export function buildComposeDocument(facts: ServiceFacts[] = composeFacts()): ComposeDocument {
  const byName = new Map(facts.map((f) => [f.service.name, f]));
  const services: Record<string, ComposeService> = {};
  for (const f of facts) {
    services[f.service.name] = serviceEntry(f, byName);
    if (f.sidecar) services[f.sidecar.name] = sidecarEntry(f, f.sidecar);
  }
  for (const job of composeJobs) services[job.name] = jobEntry(job, byName);
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
  entrypoint: "Only a sleeping busybox: the healthcheck below is the sidecar's whole job (its image is Prometheus's, pulled anyway, which has busybox wget).",
  init: 'Under a minimal init, so that `docker compose stop` ends the sleep at once.',
  command: "The same flags as the native process (stack/services.ts), with the container's addresses and paths.",
  ports: 'Published on loopback only: reachable from this machine, not from the network.',
  network_mode: "In another service's network: the two reach each other on 127.0.0.1, as natively; that service publishes this one's port.",
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
export function renderComposeYaml(document: ComposeDocument, facts: ServiceFacts[] = composeFacts()): string {
  const doc = new Document(document, { aliasDuplicateObjects: false });
  doc.commentBefore = commentText(header);
  const services = doc.get('services') as YAMLMap;
  // Each service's heading: what it is, and why it has no healthcheck when it has none.
  const headings = new Map<string, string[]>([
    ...facts.flatMap((f): [string, string[]][] => {
      const reason = !f.healthcheck && !f.sidecar && f.override.noHealthcheckReason;
      const own: [string, string[]] = [
        f.service.name,
        [`${f.service.title} — ${f.service.role}`, ...(reason ? [`No healthcheck: ${reason}`] : []), ...(f.sidecar ? [`Probed by ${f.sidecar.name}: its image has no HTTP client and no probe command.`] : [])],
      ];
      if (!f.sidecar) return [own];
      return [own, [f.sidecar.name, [`${f.service.title} probe — healthy once ${f.service.name} answers its readiness probe; what needs ${f.service.name} waits for it`]]];
    }),
    ...composeJobs.map((job): [string, string[]] => [job.name, [`${job.title} — ${job.role}`]]),
  ]);
  const commented = new Set<string>();
  services.items.forEach((pair, index) => {
    const key = pair.key as Scalar<string>;
    key.commentBefore = commentText(headings.get(key.value)!);
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
  const facts = composeFacts();
  const files = new Map<string, string>();
  files.set(composeYamlPath, renderComposeYaml(buildComposeDocument(facts), facts));
  for (const { service, override, values, templates } of facts) {
    for (const { file, text, verbatim } of templates) {
      const relative = `stack/config/${service.name}/${file}`;
      const content = verbatim ? text : `# GENERATED from ${relative} by npm run stack:compose — edit that file, not this one.\n${renderTemplate(text, values, relative)}`;
      files.set(`${configOutputDir}/${service.name}/${file}`, content);
    }
    for (const [file, template] of Object.entries(override.extraConfigs ?? {})) {
      const where = `stack/compose/overrides.ts (${service.name} extraConfigs ${file})`;
      files.set(`${configOutputDir}/${service.name}/${file}`, `# GENERATED from ${where} by npm run stack:compose — compose only.\n${renderTemplate(template, values, where)}`);
    }
  }
  return files;
}
