/**
 * Finds every lab under labs/NN-slug/, loads its definition and validates it, with errors that name the file
 * and the field: `labs/04-red-recording-rules/lab.ts: services[2]: unknown service "tempoo"`.
 * Loads in plain Node (through tsx), so the course site's plugin can use it too.
 *
 * A command about one lab loads only that lab (`loadLab`): the folder names say which labs exist, and each
 * lab.ts imports its check builders and their query grammars, which is most of a command's start time.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../lib/errors.ts';
import { modulesRoot, repoRoot, runsCompiled } from '../lib/paths.ts';
import type { LabDefinition } from './model.ts';

export interface Lab extends LabDefinition {
  /** labs/NN-slug */
  dir: string;
  /** "04-red-recording-rules": the workspace key, report name and URL part. */
  id: string;
  /** Files of starter/, relative to it (and so to the workspace). */
  starterFiles: string[];
}

export const labsDir = join(repoRoot, 'labs');
const folderPattern = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)$/;

export interface CatalogueOptions {
  /** Service names the stack knows, for validating `services`. */
  knownServices?: string[];
  dir?: string;
}

/** A lab folder, labs/NN-slug, as its name gives it: enough to list the labs or find one, without loading any. */
export interface LabFolder {
  /** "04-red-recording-rules" */
  id: string;
  number: number;
  slug: string;
}

/** The lab folders under `dir`, in number order, from their names alone; two folders with one number are refused. */
export function labFolders(dir: string = labsDir): LabFolder[] {
  const folders: LabFolder[] = [];
  for (const name of readdirSync(dir).sort()) {
    const match = folderPattern.exec(name);
    if (!match || !statSync(join(dir, name)).isDirectory()) continue;
    const number = Number(match[1]);
    const other = folders.find((f) => f.number === number);
    if (other) throw new UsageError(`labs: number ${number} is used by both ${other.id} and ${name}`, 'Give each lab its own number (see the curriculum).');
    folders.push({ id: name, number, slug: match[2]! });
  }
  return folders;
}

/** Every lab, loaded and validated. */
export async function loadLabs(options: CatalogueOptions = {}): Promise<Lab[]> {
  const dir = options.dir ?? labsDir;
  const labs: Lab[] = [];
  for (const folder of labFolders(dir)) labs.push(await loadLabFolder(dir, folder.id, options.knownServices));
  return labs;
}

/** The lab a number ("4", "04"), slug or folder name names, loading and validating only its definition. */
export async function loadLab(key: string, options: CatalogueOptions = {}): Promise<Lab> {
  const dir = options.dir ?? labsDir;
  return loadLabFolder(dir, findLab(labFolders(dir), key).id, options.knownServices);
}

async function loadLabFolder(dir: string, folder: string, knownServices: string[] | undefined): Promise<Lab> {
  const file = join(dir, folder, 'lab.ts');
  const where = relative(repoRoot, file);
  if (!existsSync(file)) throw new UsageError(`${relative(repoRoot, join(dir, folder))}: no lab.ts`, 'Every lab folder needs a lab.ts that default-exports defineLab({…}).');
  let module: { default?: LabDefinition };
  try {
    module = (await import(labModuleUrl(dir, folder))) as { default?: LabDefinition };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${where}: cannot be loaded: ${(error as Error).message.split('\n')[0]}`, 'Fix the syntax or import error in that file.');
  }
  const definition = module.default;
  if (!definition) throw new UsageError(`${where}: no default export`, 'End the file with: export default defineLab({ … }).');
  const lab: Lab = { ...definition, dir: join(dir, folder), id: folder, starterFiles: listFiles(join(dir, folder, 'starter')) };
  const stamp = validatedStamp(dir, folder);
  if (stamp && existsSync(stamp)) return lab;
  validateLab(lab, where, folder, knownServices);
  if (stamp) {
    mkdirSync(dirname(stamp), { recursive: true });
    writeFileSync(stamp, '');
  }
  return lab;
}

/**
 * Where the compiled build notes that a lab's definition passed validation. Under the compiled kit a definition
 * cannot change without a new build (the build's key covers every source file), so a lab is validated once per
 * build rather than on every command: checking its queries against their grammars is a good part of a
 * `npm run check`. Under tsx (tests, the site), every load validates.
 */
function validatedStamp(dir: string, folder: string): string | undefined {
  return runsCompiled && dir === labsDir ? join(modulesRoot, 'validated', folder) : undefined;
}

/**
 * The module to load for a lab: its lab.ts, or — when the kit runs compiled (scripts/run.mjs) — the compiled
 * lab.js of the same build, so the lab shares the one copy of the kit's modules.
 */
function labModuleUrl(dir: string, folder: string): string {
  if (runsCompiled && dir === labsDir) return pathToFileURL(join(modulesRoot, 'labs', folder, 'lab.js')).href;
  return pathToFileURL(join(dir, folder, 'lab.ts')).href;
}

/** Checks a definition's shape and content; throws a UsageError naming `where` and the field. */
export function validateLab(lab: LabDefinition, where: string, folder: string, knownServices?: string[]): void {
  const fail = (field: string, message: string, details: string[] = []): never => {
    throw new UsageError(`${where}: ${field}: ${message}`, 'Fix the lab definition; see labs/model.ts for the shape.', details);
  };
  const [, number, slug] = folderPattern.exec(folder) ?? [];
  if (!Number.isInteger(lab.number) || lab.number < 1) fail('number', `must be a positive whole number, not ${JSON.stringify(lab.number)}`);
  if (number && lab.number !== Number(number)) fail('number', `is ${lab.number} but the folder says ${Number(number)}`);
  if (slug && lab.slug !== slug) fail('slug', `is "${lab.slug}" but the folder says "${slug}"`);
  for (const field of ['module', 'title', 'summary'] as const) {
    if (typeof lab[field] !== 'string' || lab[field].trim() === '') fail(field, 'must be a non-empty string');
  }
  if (!/^\d{2}-[a-z0-9-]+$/.test(lab.module)) fail('module', `"${lab.module}" must look like "02-metrics"`);
  if (!Array.isArray(lab.services) || lab.services.length === 0) fail('services', 'must list the stack services the lab needs');
  lab.services.forEach((service, i) => {
    if (knownServices && !knownServices.includes(service)) fail(`services[${i}]`, `unknown service "${service}" (known: ${knownServices.join(', ')})`);
  });
  if (typeof lab.setup !== 'function') fail('setup', 'must be a function (import it from ./setup.ts)');
  if (typeof lab.solution !== 'function') fail('solution', 'must be a function (import it from ./solution.ts)');
  if (!Array.isArray(lab.objectives) || lab.objectives.length === 0) fail('objectives', 'a lab needs at least one objective');
  const ids = new Set<string>();
  lab.objectives.forEach((objective, i) => {
    const field = `objectives[${i}]`;
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(objective.id ?? '')) fail(`${field}.id`, `"${objective.id}" must be lower-case words joined by dashes`);
    if (ids.has(objective.id)) fail(`${field}.id`, `"${objective.id}" is used twice`);
    ids.add(objective.id);
    if (!objective.title?.trim()) fail(`${field}.title`, 'must say the outcome in a sentence');
    if (!objective.hint?.trim()) fail(`${field}.hint`, 'every objective needs a hint');
    if (!Number.isInteger(objective.points) || objective.points <= 0) fail(`${field}.points`, 'must be a positive whole number');
    for (const need of objective.needs ?? []) if (!lab.objectives.some((o) => o.id === need)) fail(`${field}.needs`, `"${need}" is not an objective of this lab`);
    if (!objective.check || typeof objective.check.observe !== 'function') fail(`${field}.check`, 'must be built with a builder such as promql(…).value(…)');
    try {
      objective.check.validate();
    } catch (error) {
      fail(`${field} "${objective.id}"`, (error as Error).message, error instanceof UsageError ? error.details : []);
    }
  });
  const mistakeIds = new Set<string>();
  (lab.mistakes ?? []).forEach((mistake, i) => {
    const field = `mistakes[${i}]`;
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(mistake.id ?? '')) fail(`${field}.id`, `"${mistake.id}" must be lower-case words joined by dashes`);
    if (mistakeIds.has(mistake.id)) fail(`${field}.id`, `"${mistake.id}" is used twice`);
    mistakeIds.add(mistake.id);
    if (!mistake.title?.trim()) fail(`${field}.title`, 'must say what the student did, in a sentence');
    if (typeof mistake.apply !== 'function') fail(`${field}.apply`, 'must be a function like solution');
    if (!Array.isArray(mistake.fails) || mistake.fails.length === 0) fail(`${field}.fails`, 'must name the objectives this work must fail');
    for (const id of mistake.fails) if (!lab.objectives.some((o) => o.id === id)) fail(`${field}.fails`, `"${id}" is not an objective of this lab`);
  });
}

function listFiles(root: string, prefix = ''): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(root, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

/** Finds a lab (or a lab folder) by number ("4", "04"), slug or folder name; a UsageError listing the labs otherwise. */
export function findLab<L extends LabFolder>(labs: L[], key: string): L {
  const lab = /^\d+$/.test(key) ? labs.find((l) => l.number === Number(key)) : labs.find((l) => l.slug === key || l.id === key);
  if (!lab) {
    throw new UsageError(`no lab "${key}"`, `Labs: ${labs.map((l) => `${l.number} ${l.slug}`).join(', ')} (npm run lab:list shows them all).`);
  }
  return lab;
}
