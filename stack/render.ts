/**
 * Renders the engine config templates under stack/config/<engine>/. Both runtimes render the same files; only
 * the values differ (addresses, listen interface, directories). A template may use:
 *
 *   {{ listen }}                 the interface to bind: 127.0.0.1 natively, 0.0.0.0 inside a container
 *   {{ host.<service> }}         how other services reach <service>: 127.0.0.1 natively, its service name in compose
 *   {{ port.<service>.<name> }}  a port from stack/versions.yaml
 *   {{ addr.<service>.<name> }}  host:port, the two above together
 *   {{ dir.data }}, {{ dir.config }}, {{ dir.run }}   this engine's own directories
 *   {{ dir.workspace }}          the student's workspace (labs put rules, targets and configs there)
 *   {{ dir.logs }}               where services' output is collected (the demo apps' JSON logs)
 *   {{ dir.home }}               an engine's release tree, for one that runs from it (Grafana's --homepath)
 *
 * An unknown placeholder is an error naming the file and the placeholder: a typo never renders silently.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../lib/errors.ts';
import type { EngineVersion } from './versions.ts';

export type RenderValues = Record<string, string>;

export interface RenderTarget {
  /** 127.0.0.1 (native) or 0.0.0.0 (compose). */
  listen: string;
  /** Address of a service as seen by the others. */
  hostOf: (service: string) => string;
  dirs: { data: string; config: string; run: string; workspace: string; logs: string; home?: string };
}

/** The flat table of values one engine's templates may use. */
export function renderValues(engines: Iterable<EngineVersion>, target: RenderTarget): RenderValues {
  const values: RenderValues = {
    listen: target.listen,
    'dir.data': target.dirs.data,
    'dir.config': target.dirs.config,
    'dir.run': target.dirs.run,
    'dir.workspace': target.dirs.workspace,
    'dir.logs': target.dirs.logs,
    // An engine that runs from its whole release tree (Grafana): the tree's root.
    ...(target.dirs.home ? { 'dir.home': target.dirs.home } : {}),
  };
  for (const engine of engines) {
    const host = target.hostOf(engine.name);
    values[`host.${engine.name}`] = host;
    for (const [name, port] of Object.entries(engine.ports)) {
      values[`port.${engine.name}.${name}`] = String(port);
      values[`addr.${engine.name}.${name}`] = `${host}:${port}`;
    }
  }
  return values;
}

/**
 * Grafana dashboards are JSON that Grafana itself templates ({{route}} in legends); they hold no addresses,
 * so both runtimes copy them as they are rather than render them.
 */
export const isVerbatim = (file: string) => file.endsWith('.json');

const placeholder = /\{\{\s*([\w.-]+)\s*\}\}/g;

export function renderTemplate(text: string, values: RenderValues, file: string): string {
  return text.replace(placeholder, (_match, key: string, offset: number) => {
    const value = values[key];
    if (value === undefined) {
      const line = text.slice(0, offset).split('\n').length;
      throw new UsageError(
        `${file}:${line}: unknown placeholder {{ ${key} }}`,
        `Use one of the placeholders listed in stack/render.ts (for example {{ addr.prometheus.http }}).`,
      );
    }
    return value;
  });
}

/** Writes `text` to `target` (its folder made first), or removes it given undefined; true when that changed the file. */
export function putFile(target: string, text: string | undefined): boolean {
  const before = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
  if (text === undefined) rmSync(target, { force: true });
  else if (text !== before) {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return text !== before;
}
