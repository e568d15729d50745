/**
 * Which lab a command is about, and what that lab needs from the stack: the catalogue validated against the
 * services the stack knows, the lab named on the command line (or the started one) — loading only that lab —,
 * its services and the native engines they take.
 */
import { labFolders, loadLab, loadLabs, type Lab } from '../labs/catalogue.ts';
import { toolEngine } from '../labs/model.ts';
import { UsageError } from '../lib/errors.ts';
import { enginesFor, services } from '../stack/services.ts';
import { nativeEngines } from '../stack/versions.ts';
import { readSession } from './state.ts';

/** Every lab, validated against the services the stack knows. */
export function catalogue(): Promise<Lab[]> {
  return loadLabs({ knownServices: services.map((s) => s.name) });
}

/** One lab by number, slug or folder name, validated like the catalogue; only its definition is loaded. */
function loadLabByKey(key: string): Promise<Lab> {
  return loadLab(key, { knownServices: services.map((s) => s.name) });
}

/** The services a lab starts: its own, and Prometheus when it runs load (k6 remote-writes its metrics there). */
export function labServices(lab: Lab): string[] {
  return lab.load ? [...new Set([...lab.services, 'prometheus'])] : lab.services;
}

/** The native engines a lab needs: its services' (and what they need), and those of its tools. */
export function labEngines(lab: Lab): string[] {
  const native = new Set(nativeEngines().map((e) => e.name));
  return [...new Set([...enginesFor(labServices(lab)), ...labToolEngines(lab)])].filter((name) => native.has(name));
}

/**
 * The engines of what the lab runs on this machine whatever the runtime: k6 for its load, and its tools
 * (labs/model.ts tools). With Docker these are the only native engines a lab needs.
 */
export function labToolEngines(lab: Lab): string[] {
  return [...new Set([...(lab.load ? ['k6'] : []), ...(lab.tools ?? []).map((tool) => toolEngine[tool])])];
}

/** The lab named on the command line, or else the started one. */
export async function labFromArgs(key: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<Lab> {
  if (key !== undefined) return loadLabByKey(key);
  const session = readSession(env);
  if (!session) throw new UsageError('no lab is started', `Name one (for example npm run check 4), or start one with npm run lab:start <n>. Labs: ${labFolders().map((l) => l.number).join(', ')}.`);
  return loadLabByKey(session.lab);
}

/** A lab number or slug is required: without one, the error lists what exists. */
export async function requireLab(key: string | undefined, command: string): Promise<Lab> {
  if (key === undefined) {
    const labs = labFolders();
    throw new UsageError(`${command} needs a lab number`, `Example: npm run ${command} ${labs[0]?.number ?? 1}. Labs: ${labs.map((l) => `${l.number} ${l.slug}`).join(', ')}.`);
  }
  return labFromArgs(key);
}

/** Where a lab's answers go, relative to the workspace. */
export const answersFile = (lab: Lab) => `answers/${lab.id}.yaml`;
