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
import { parse } from 'yaml';
import { services, type ServiceDefinition } from '../services.ts';
import { loadVersions } from '../versions.ts';
import { isVerbatim } from '../render.ts';
import { composeServices, composeValues } from './model.ts';
import { composeOnlyServices, composeOverrides } from './overrides.ts';

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
  /** The template text, before rendering. */
  template: string;
  native: string;
  compose: string;
  service: ServiceDefinition;
}

const render = (service: ServiceDefinition, where: string, template: string): Rendered => ({
  where,
  template,
  service,
  native: renderTemplate(template, nativeValues(service.name), where),
  compose: renderTemplate(template, composeValues(service.name), where),
});

const rendered: Rendered[] = composeServices().flatMap((service) => [
  ...service.configs
    .filter((file) => !isVerbatim(file))
    .map((file) => render(service, `stack/config/${service.name}/${file}`, readFileSync(join(repoRoot, 'stack', 'config', service.name, file), 'utf8'))),
  // (Unless the image's entrypoint supplies the arguments instead: Grafana's.)
  ...(service.args.length > 0 && !composeOverrides[service.name]?.args ? [render(service, `stack/services.ts (${service.name} args)`, service.args.join('\n'))] : []),
  // The environment of services.ts (the demo services' addresses, the log shipper's file and endpoints).
  ...(service.env ? [render(service, `stack/services.ts (${service.name} env)`, Object.entries(service.env).map(([key, value]) => `${key}=${value}`).join('\n'))] : []),
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
    for (const where of [
      'stack/config/prometheus/prometheus.yml',
      'stack/config/otelcol/otelcol.yaml',
      'stack/config/grafana/grafana.ini',
      'stack/config/grafana/provisioning/datasources/datasources.yaml',
      'stack/services.ts (shop env)',
      'stack/services.ts (log-shipper env)',
      'stack/services.ts (log-shipper args)',
    ]) {
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
    for (const { where, native, compose, template } of rendered) {
      expect(native, where).not.toMatch(/0\.0\.0\.0/);
      if (/\{\{\s*listen\s*\}\}/.test(template)) expect(compose, where).toMatch(/0\.0\.0\.0/);
    }
  });
});

describe('what only one runtime has', () => {
  const extras = composeServices().flatMap((service) =>
    Object.entries(composeOverrides[service.name]?.extraConfigs ?? {}).map(([file, template]) => ({
      service,
      file,
      compose: renderTemplate(template, composeValues(service.name), file),
    })),
  );

  it('compose-only config files point only at compose-only services (cAdvisor): they add what natively does not exist, and change nothing shared', () => {
    expect(extras.map((e) => `${e.service.name}/${e.file}`)).toEqual(['prometheus/scrape.d/cadvisor.yml']);
    const composeOnly = new Set(composeOnlyServices.map((s) => s.name));
    for (const { compose, file } of extras) {
      const hosts = [...compose.matchAll(/['"\s]([a-z][\w-]*):\d+/g)].map((m) => m[1]!);
      expect(hosts.length, file).toBeGreaterThan(0);
      for (const host of hosts) expect(composeOnly, `${file} points at ${host}`).toContain(host);
    }
  });

  it('natively, the folder Prometheus reads them from is in its config directory and nothing is rendered into it', () => {
    const native = rendered.find((r) => r.where === 'stack/config/prometheus/prometheus.yml')!.native;
    const files = (parse(native) as { scrape_config_files: string[] }).scrape_config_files;
    expect(files).toContain(`${nativeValues('prometheus')['dir.config']}/scrape.d/*.yml`);
    // The native driver renders only the configs of services.ts: none of them goes into scrape.d/.
    expect(services.find((s) => s.name === 'prometheus')!.configs.filter((f) => f.startsWith('scrape.d/'))).toEqual([]);
    // The same pattern in compose, where the generated cadvisor.yml sits.
    const compose = parse(rendered.find((r) => r.where === 'stack/config/prometheus/prometheus.yml')!.compose) as { scrape_config_files: string[] };
    expect(compose.scrape_config_files).toContain(`${composeValues('prometheus')['dir.config']}/scrape.d/*.yml`);
  });
});
