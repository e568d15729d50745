/**
 * Exports what the course site shows about the kit, as JSON: the lab catalogue merged into the curriculum,
 * the services and ports of stack/versions.yaml, and the command table. The site's course-data plugin runs
 * this file with tsx (the lab definitions are TypeScript with `.ts` imports, which load in plain Node through
 * tsx but not inside Docusaurus's bundler), so the pages are built from the definitions, never copied from them.
 *
 *   tsx course/site-data.ts            prints the JSON
 *   tsx course/site-data.ts --out f    writes it to f
 *
 * Objectives are exported with id, title and points only: a check's query and the hint stay with the grader.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadLabs, type Lab } from '../labs/catalogue.ts';
import { curriculum, moduleSlug, type PlannedModule } from '../labs/curriculum.ts';
import { ExitCode, UsageError } from '../lib/errors.ts';
import { repoRoot } from '../lib/paths.ts';
import { commands } from '../scripts/commands/index.ts';
import { composeOnlyServices } from '../stack/compose/overrides.ts';
import { services as nativeServices, type ServiceDefinition } from '../stack/services.ts';
import { loadVersions, type EngineVersion } from '../stack/versions.ts';
import type { CommandFacts, CourseModule, LabFacts, PortFacts, ServiceFacts, SiteData } from './types.ts';

const host = '127.0.0.1';

/** What each exit code tells a student or a script, in words (the reference page shows these, not the names). */
const exitCodeMeaning: Record<keyof typeof ExitCode, string> = {
  ok: 'Done: the command did what it was asked, or every objective passed.',
  objectivesFailed: 'The check ran, and at least one objective did not pass yet.',
  usage: 'A wrong argument, an unknown lab, or a file that does not parse: the message names it.',
  stack: 'A service of the stack did not start or does not answer: the message names it and its log.',
  setup: 'A lab could not be set up (its starter files, seed data or fault): the message says which step.',
};

export async function collectSiteData(): Promise<SiteData> {
  const stackServices = [...nativeServices, ...composeOnlyServices];
  const labs = await loadLabs({ knownServices: nativeServices.map((s) => s.name) });
  checkAgainstCurriculum(labs, curriculum);
  const services = stackServices.map(serviceFacts);
  const agentPort = portOf('lab-agent', 'http');
  const sitePort = portOf('course-site', 'http');
  return {
    sources: { labs: 'labs/*/lab.ts', versions: 'stack/versions.yaml', services: 'stack/services.ts', commands: 'scripts/commands/index.ts' },
    modules: curriculum.map((module) => moduleFacts(module, labs)),
    labs: labs.map((lab) => labFacts(lab, services)),
    services,
    ports: portFacts(stackServices),
    commands: commands.map(({ name, usage, summary }): CommandFacts => ({ name, usage, summary })),
    exitCodes: Object.entries(ExitCode).map(([name, code]) => ({ code, name, meaning: exitCodeMeaning[name as keyof typeof ExitCode] })),
    agent: { url: `http://${host}:${agentPort}`, port: agentPort },
    site: { url: `http://${host}:${sitePort}`, port: sitePort },
  };
}

/** A lab the curriculum does not plan (or plans under another number or module) is a definition error. */
export function checkAgainstCurriculum(labs: Pick<Lab, 'number' | 'slug' | 'module' | 'id'>[], plan: PlannedModule[]): void {
  for (const lab of labs) {
    const module = plan.find((m) => m.labs.some((l) => l.number === lab.number));
    const planned = module?.labs.find((l) => l.number === lab.number);
    const where = `labs/${lab.id}/lab.ts`;
    const fix = 'Keep the numbers, slugs and modules of the curriculum (labs/curriculum.ts).';
    if (!module || !planned) throw new UsageError(`${where}: lab ${lab.number} is not in the curriculum`, fix);
    if (planned.slug !== lab.slug) throw new UsageError(`${where}: slug "${lab.slug}" but the curriculum plans "${planned.slug}" as lab ${lab.number}`, fix);
    if (module.id !== lab.module) throw new UsageError(`${where}: module "${lab.module}" but the curriculum puts lab ${lab.number} in "${module.id}"`, fix);
  }
}

function moduleFacts(module: PlannedModule, labs: Lab[]): CourseModule {
  return {
    id: module.id,
    number: Number(module.id.slice(0, 2)),
    slug: moduleSlug(module.id),
    title: module.title,
    teaches: module.teaches,
    labs: module.labs.map((planned) => {
      const lab = labs.find((l) => l.number === planned.number);
      return lab
        ? { number: lab.number, slug: lab.slug, title: lab.title, summary: lab.summary, status: 'available' as const }
        : { ...planned, status: 'coming-soon' as const };
    }),
  };
}

function labFacts(lab: Lab, services: ServiceFacts[]): LabFacts {
  const module = curriculum.find((m) => m.id === lab.module)!;
  // The files a student works on: everything the starter copies in, and any file the lab reads that the student
  // creates (named in workspace.yaml but not in starter/). Answers are named apart.
  const files = [...new Set([...lab.starterFiles, ...lab.workspace.yaml])].sort();
  const answers = files.find((file) => file.startsWith('answers/'));
  return {
    number: lab.number,
    slug: lab.slug,
    id: lab.id,
    module: lab.module,
    moduleTitle: module.title,
    title: lab.title,
    summary: lab.summary,
    ...(existsSync(join(repoRoot, 'docs', lab.module, `${lab.id}.mdx`)) ? { path: `/docs/${moduleSlug(lab.module)}/${lab.slug}` } : {}),
    services: lab.services.map((name) => {
      const service = services.find((s) => s.name === name)!;
      return { name, title: service.title, role: service.role, url: service.url };
    }),
    // Only what a student may see before grading: the outcome and its points.
    objectives: lab.objectives.map(({ id, title, points }) => ({ id, title, points })),
    maxScore: lab.objectives.reduce((sum, o) => sum + o.points, 0),
    files: { workspace: files.filter((file) => file !== answers), ...(answers ? { answers } : {}) },
    ...(lab.load ? { load: { script: lab.load.script, rate: lab.load.rate } } : {}),
    commands: {
      start: `npm run lab:start ${lab.number}`,
      check: 'npm run check',
      checkJson: 'npm run check -- --json',
      reset: `npm run lab:reset ${lab.number}`,
      stop: 'npm run lab:stop',
    },
  };
}

function serviceFacts(service: ServiceDefinition): ServiceFacts {
  const engine = loadVersions().get(service.engine)!;
  const port = engine.ports[service.url.port];
  return {
    name: service.name,
    title: service.title,
    role: service.role,
    engine: service.engine,
    version: engine.version,
    source: engine.origin,
    url: `${service.url.scheme}://${host}:${port}${service.url.path ?? ''}`,
    native: service.native,
    needs: service.needs,
    runtimes: runtimeFacts(service, engine),
  };
}

/**
 * What differs between the two runtimes for one service, in words: where its program comes from (and what a
 * source build lacks), and where its log is. The addresses do not differ: compose publishes the same ports.
 */
export function runtimeFacts(service: ServiceDefinition, engine: EngineVersion): ServiceFacts['runtimes'] {
  const composeLog = `docker compose logs ${service.name}`;
  const nativeLog = service.native ? `.lab/logs/${service.name}.log` : '—';
  const compose = engine.origin === 'node' ? `the kit's demo image (stack/apps/Dockerfile${engine.image ? `, on ${engine.image}` : ''})` : engine.image ? `the image ${engine.image}` : 'its image';
  let native: string;
  if (!service.native) native = 'not available: it needs Docker';
  else if (engine.origin === 'node') native = 'a Node.js process of this repository';
  else if (engine.origin === 'system') native = `your operating system's package (${engine.system?.package ?? engine.name})`;
  else if (engine.source) native = `its release archive, or built from source${engine.source.lacks ? ` — then without ${engine.source.lacks}` : ''}`;
  else native = 'its official release archive, or a binary of your own';
  return { native, compose, nativeLog, composeLog };
}

/** Every port of versions.yaml, with the services that bind it, sorted by number. */
function portFacts(services: ServiceDefinition[]): PortFacts[] {
  const ports: PortFacts[] = [];
  for (const engine of loadVersions().values()) {
    for (const [name, port] of Object.entries(engine.ports)) {
      const users = services.filter((s) => s.engine === engine.name && s.ports.includes(name));
      const runs = engine.origin === 'node' ? 'node' : engine.origin === 'compose' ? 'compose only' : 'native and compose';
      ports.push({ port, engine: engine.name, name, services: users.map((s) => s.name), runs });
    }
  }
  return ports.sort((a, b) => a.port - b.port);
}

function portOf(engine: string, name: string): number {
  const port = loadVersions().get(engine)?.ports[name];
  if (port === undefined) throw new UsageError(`stack/versions.yaml: engines.${engine}.ports.${name} is missing`, 'The course site and the lab agent take their ports from there.');
  return port;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = process.argv.indexOf('--out');
  collectSiteData().then(
    (data) => {
      const json = `${JSON.stringify(data, null, 2)}\n`;
      if (out > 0 && process.argv[out + 1]) writeFileSync(process.argv[out + 1]!, json);
      else process.stdout.write(json);
    },
    (error: unknown) => {
      // The plugin shows this line as the reason the site cannot be built.
      const fix = error instanceof UsageError ? ` — ${error.fix}` : '';
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}${fix}\n`);
      process.exitCode = 2;
    },
  );
}
