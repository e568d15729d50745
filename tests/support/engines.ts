/**
 * Integration tests that need an engine which is not installed skip, with a reason that names it — never pass
 * silently. The test stack starts every service whose engines are installed (tests/global-setup.ts); a test
 * file or a describe block declares what it needs with `needsEngines(...)`.
 */
import { beforeEach } from 'vitest';
import { resolveEngine } from '../../stack/binaries.ts';
import { howToProvide } from '../../stack/engine-install.ts';
import { enginesFor, services, type ServiceDefinition } from '../../stack/services.ts';
import { engineVersion, nativeEngines } from '../../stack/versions.ts';
import { testEnv } from './stack.ts';

/** "<engine> <version> is not installed: <how to provide it>" for each engine that is missing, else undefined. */
export function missingEngines(names: string[], env: NodeJS.ProcessEnv = testEnv): string | undefined {
  const native = new Set(nativeEngines().map((e) => e.name));
  const reasons = [...new Set(names)].filter((name) => native.has(name)).flatMap((name) => {
    const engine = engineVersion(name);
    const resolved = resolveEngine(engine, env);
    if (resolved && !resolved.problem) return [];
    return [`${name} ${engine.version} is not installed: ${resolved?.problem ?? howToProvide(engine).replace(/^\S+ \S+: /, '')}`];
  });
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

/** Skips every test of the enclosing file or describe block, with the reason, when one of these engines is missing. */
export function needsEngines(...names: string[]): void {
  beforeEach((context) => {
    const reason = missingEngines(names);
    if (reason) context.skip(reason);
  });
}

/** The same for services: their engines and those of everything they need. */
export function needsServices(...names: string[]): void {
  needsEngines(...enginesFor(names));
}

/** The services a plain test stack can start here: every default service whose engines (and needs') are installed. */
export function startableServices(env: NodeJS.ProcessEnv = testEnv): { start: ServiceDefinition[]; skipped: string[] } {
  const candidates = services.filter((s) => s.native && !s.labOnly);
  const start: ServiceDefinition[] = [];
  const skipped: string[] = [];
  for (const service of candidates) {
    const reason = missingEngines(enginesFor([service.name]), env);
    if (reason) skipped.push(`${service.name} (${reason})`);
    else start.push(service);
  }
  return { start, skipped };
}
