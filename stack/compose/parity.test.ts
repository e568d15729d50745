/**
 * "Both drivers render the same config templates; only addresses and paths differ" (ARCHITECTURE.md), checked
 * on the real templates: each one is rendered for the native runtime and for compose, and every line that
 * differs must become identical once its addresses and paths are replaced by their names.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, stateDir, workspaceDir } from '../../lib/paths.ts';
import { renderTemplate, renderValues, type RenderValues } from '../render.ts';
import type { ServiceDefinition } from '../services.ts';
import { loadVersions } from '../versions.ts';
import { isVerbatim } from './build.ts';
import { composeServices, composeValues } from './model.ts';

// The native driver's layout (stack/native/driver.ts), under a fixed state directory so the test is deterministic.
const env = { O11Y_LAB_STATE: '/home/student/kit/.lab', O11Y_LAB_WORKSPACE: '/home/student/kit/workspace' };
function nativeValues(service: string): RenderValues {
  const state = stateDir(env);
  return renderValues(loadVersions().values(), {
    listen: '127.0.0.1',
    hostOf: () => '127.0.0.1',
    dirs: { data: join(state, 'data', service), config: join(state, 'config', service), run: join(state, 'run'), workspace: workspaceDir(env), logs: join(state, 'logs') },
  });
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Replaces a runtime's paths by the name of the directory they are, and its addresses by <address>: the listen
 * interface wherever it stands alone, and a host wherever it is followed by a port (the port must still match).
 */
function normaliser(values: RenderValues): (line: string) => string {
  const dirs = Object.entries(values)
    .filter(([key]) => key.startsWith('dir.'))
    .sort(([, a], [, b]) => b.length - a.length);
  const hosts = [...new Set(Object.entries(values).filter(([key]) => key.startsWith('host.')).map(([, value]) => value))];
  const listen = values.listen!;
  return (line) => {
    let out = line;
    // Whole paths only: the compose data dir /prometheus must not match inside /workspace/prometheus/rules.
    for (const [key, value] of dirs) out = out.replace(new RegExp(`(?<![\\w./>-])${escape(value)}(?![\\w.-])`, 'g'), `<${key}>`);
    out = out.replace(new RegExp(`(?<![\\w.-])(${hosts.map(escape).join('|')})(?=:\\d)`, 'g'), '<address>');
    return out.replace(new RegExp(`(?<![\\w.-])${escape(listen)}(?![\\w.-])`, 'g'), '<address>');
  };
}

interface Rendered {
  where: string;
  native: string;
  compose: string;
  service: ServiceDefinition;
}

const rendered: Rendered[] = composeServices().flatMap((service) => [
  ...service.configs
    .filter((file) => !isVerbatim(file))
    .map((file) => {
      const where = `stack/config/${service.name}/${file}`;
      const text = readFileSync(join(repoRoot, where), 'utf8');
      return { where, service, native: renderTemplate(text, nativeValues(service.name), where), compose: renderTemplate(text, composeValues(service.name), where) };
    }),
  ...(service.args.length > 0
    ? [{
        where: `stack/services.ts (${service.name} args)`,
        service,
        native: service.args.map((a) => renderTemplate(a, nativeValues(service.name), service.name)).join('\n'),
        compose: service.args.map((a) => renderTemplate(a, composeValues(service.name), service.name)).join('\n'),
      }]
    : []),
]);

describe('native and compose renderings', () => {
  it.each(rendered)('$where: differ only in addresses and paths', ({ service, native, compose }) => {
    const nativeLines = native.split('\n');
    const composeLines = compose.split('\n');
    expect(composeLines.length).toBe(nativeLines.length);
    const normaliseNative = normaliser(nativeValues(service.name));
    const normaliseCompose = normaliser(composeValues(service.name));
    nativeLines.forEach((line, i) => {
      if (line === composeLines[i]) return;
      expect(normaliseCompose(composeLines[i]!), `line ${i + 1}: ${line}  ⟷  ${composeLines[i]}`).toBe(normaliseNative(line));
    });
  });

  it('really differ: every service that listens or points elsewhere has lines that change', () => {
    const changed = rendered.filter((r) => r.native !== r.compose).map((r) => r.where);
    for (const where of ['stack/config/prometheus/prometheus.yml', 'stack/config/otelcol/otelcol.yaml', 'stack/config/grafana/grafana.ini', 'stack/config/grafana/provisioning/datasources/datasources.yaml']) {
      expect(changed).toContain(where);
    }
  });

  it('catches a difference that is not an address or a path', () => {
    const values = composeValues('prometheus');
    const normalise = normaliser(values);
    // A compose-only scrape interval would be a real divergence between runtimes.
    expect(normalise('scrape_interval: 15s')).not.toBe(normaliser(nativeValues('prometheus'))('scrape_interval: 5s'));
    expect(normalise(`- targets: ['${values['addr.loki.http']}']`)).toBe(normaliser(nativeValues('prometheus'))(`- targets: ['${nativeValues('prometheus')['addr.loki.http']}']`));
    // …and a port that changed between runtimes.
    expect(normalise(`- targets: ['loki:3101']`)).not.toBe(normaliser(nativeValues('prometheus'))(`- targets: ['127.0.0.1:3100']`));
  });

  it('bind every listener to loopback natively and to all container interfaces in compose', () => {
    for (const { where, native, compose, service } of rendered) {
      expect(native, where).not.toMatch(/0\.0\.0\.0/);
      const template = where.startsWith('stack/config') ? readFileSync(join(repoRoot, where), 'utf8') : service.args.join('\n');
      if (/\{\{\s*listen\s*\}\}/.test(template)) expect(compose, where).toMatch(/0\.0\.0\.0/);
    }
  });
});
