/**
 * The compose-rendered configs and flags, checked by the pinned engines' own config checks: the native binaries in
 * the engine cache are the same releases as the images (build.test.ts checks the pins agree), so what they refuse
 * or mark deprecated, the containers would too. Each check skips, naming the engine, where its binary is not
 * installed (npm run engines:install). Container paths in the rendered files are mapped to this machine first:
 * /etc/lab/<service> to stack/compose/config/<service>, the data and workspace directories to empty temporary ones.
 *
 * Caveat: the native collector is the kit's own source build (stack/engines/otelcol/manifest.yaml), with the same
 * components as the otelcol-contrib image, not the contrib binary itself.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../lib/paths.ts';
import { resolveEngine } from '../binaries.ts';
import { engineVersion } from '../versions.ts';
import { composeYamlPath, type ComposeDocument } from './build.ts';
import { composeValues, containerDirs } from './model.ts';
import { tourScrapeFile, tourScrapeJobs } from '../tour-scrape.ts';
import { renderTemplate } from '../render.ts';

const committed = parse(readFileSync(join(repoRoot, composeYamlPath), 'utf8')) as ComposeDocument;
const generatedDir = join(repoRoot, 'stack', 'compose', 'config');

/** A native binary of the pinned release, or undefined (with the reason in the test's name). */
function binary(engine: string, command: string): string | undefined {
  const resolved = resolveEngine(engineVersion(engine));
  return resolved && !resolved.problem ? resolved.binaries[command] : undefined;
}
const skipped = (engine: string, command: string) => (binary(engine, command) ? '' : ` — skipped: no native ${command} of ${engine} ${engineVersion(engine).version} (npm run engines:install)`);

const scratch = mkdtempSync(join(tmpdir(), 'o11y-compose-configs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of a service's rendered configs with the container's directories mapped to this machine. */
function hostCopy(service: string): string {
  const dir = join(scratch, service);
  cpSync(join(generatedDir, service), dir, { recursive: true });
  const values = composeValues(service);
  const mapping: [string, string][] = [
    [containerDirs.config(service), dir],
    [values['dir.data']!, join(scratch, `${service}-data`)],
    [containerDirs.workspace, join(scratch, 'workspace')],
  ];
  const files = (d: string): string[] => readdirSync(d).flatMap((name) => (statSync(join(d, name)).isDirectory() ? files(join(d, name)) : [join(d, name)]));
  // One pass, whole paths only (the data directory /prometheus is also the end of /etc/lab/prometheus).
  const escape = (path: string) => path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const pattern = new RegExp(`(?<=^|[\\s'"=:\\[,])(${mapping.map(([from]) => escape(from)).join('|')})(?=$|[/\\s'",\\]])`, 'gm');
  const to = new Map(mapping);
  for (const file of files(dir)) writeFileSync(file, readFileSync(file, 'utf8').replace(pattern, (from) => to.get(from)!));
  return dir;
}

const run = (command: string, args: string[]) => spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });

describe("the engines' own config checks accept the compose-rendered configs", () => {
  it.skipIf(!binary('prometheus', 'promtool'))(`promtool check config: prometheus.yml, the compose-only scrape.d/cadvisor.yml and the stack tour's scrape file${skipped('prometheus', 'promtool')}`, () => {
    const dir = hostCopy('prometheus');
    // What the stack tour writes into the live copy of this directory (lifecycle/tour.ts).
    writeFileSync(join(dir, tourScrapeFile), renderTemplate(tourScrapeJobs, composeValues('prometheus'), 'tour.yml'));
    const result = run(binary('prometheus', 'promtool')!, ['check', 'config', join(dir, 'prometheus.yml')]);
    expect(result.stdout + result.stderr, 'promtool').toContain('SUCCESS');
    expect(result.status).toBe(0);
    expect(readFileSync(join(dir, tourScrapeFile), 'utf8')).toContain("targets: ['shop:8080']");
    // scrape_config_files matched the compose-only job: promtool read it too.
    expect(readFileSync(join(dir, 'prometheus.yml'), 'utf8')).toContain(join(dir, 'scrape.d', '*.yml'));
  });

  it.skipIf(!binary('loki', 'loki'))(`loki -verify-config: loki.yaml${skipped('loki', 'loki')}`, () => {
    const result = run(binary('loki', 'loki')!, ['-verify-config', `-config.file=${join(hostCopy('loki'), 'loki.yaml')}`]);
    expect(result.stderr, 'loki -verify-config').not.toMatch(/error|failed/i);
    expect(result.status).toBe(0);
  });

  it.skipIf(!binary('otelcol', 'otelcol'))(`otelcol validate: the gateway's otelcol.yaml${skipped('otelcol', 'otelcol')}`, () => {
    const result = run(binary('otelcol', 'otelcol')!, ['validate', `--config=${join(hostCopy('otelcol'), 'otelcol.yaml')}`]);
    expect(result.stderr, 'otelcol validate').not.toMatch(/error/i);
    expect(result.status).toBe(0);
  });

  it.skipIf(!binary('alertmanager', 'amtool'))(`amtool check-config: alertmanager.yml${skipped('alertmanager', 'amtool')}`, () => {
    const result = run(binary('alertmanager', 'amtool')!, ['check-config', join(hostCopy('alertmanager'), 'alertmanager.yml')]);
    expect(result.stdout, 'amtool').toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it.skipIf(!binary('loki', 'loki'))(`and the checks do refuse a broken file (an unknown Loki key)${skipped('loki', 'loki')}`, () => {
    const dir = hostCopy('loki');
    writeFileSync(join(dir, 'broken.yaml'), `${readFileSync(join(dir, 'loki.yaml'), 'utf8')}\nno_such_block:\n  enabled: true\n`);
    expect(run(binary('loki', 'loki')!, ['-verify-config', `-config.file=${join(dir, 'broken.yaml')}`]).status).not.toBe(0);
  });
});

/**
 * The flags an engine's `--help` lists (kingpin's format: `--name=VALUE` or `--[no-]name`), and whether it marks
 * each one [DEPRECATED]. A flag not listed was removed (or never existed).
 */
function helpFlags(help: string): Map<string, { deprecated: boolean }> {
  const flags = new Map<string, { deprecated: boolean }>();
  let current: string | undefined;
  for (const line of help.split('\n')) {
    const flag = /^\s+--(?:\[no-\])?([\w.-]+)/.exec(line)?.[1];
    if (flag) {
      current = flag;
      flags.set(flag, { deprecated: false });
    }
    if (current && /\[DEPRECATED\]/i.test(line)) flags.get(current)!.deprecated = true;
  }
  return flags;
}

describe('the compose flags are neither deprecated nor removed in the pinned engine (its own --help)', () => {
  const engines: [service: string, engine: string, command: string][] = [
    ['prometheus', 'prometheus', 'prometheus'],
    ['alertmanager', 'alertmanager', 'alertmanager'],
    ['node_exporter', 'node_exporter', 'node_exporter'],
  ];

  for (const [service, engine, command] of engines) {
   it.skipIf(!binary(engine, command))(`${service}${skipped(engine, command)}`, () => {
    const flags = helpFlags(execFileSync(binary(engine, command)!, ['--help'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    expect(flags.size, `${command} --help`).toBeGreaterThan(10);
    for (const arg of committed.services[service]!.command ?? []) {
      const name = /^--(?:no-)?([\w.-]+)/.exec(arg)?.[1];
      if (!name) continue;
      expect(flags.has(name), `${service}: ${arg} is not a flag of ${command} ${engineVersion(engine).version}`).toBe(true);
      expect(flags.get(name)!.deprecated, `${service}: ${arg} is deprecated in ${command} ${engineVersion(engine).version}`).toBe(false);
    }
   });
  }

  it('reads deprecation from kingpin help text', () => {
    const help = [
      '      --storage.tsdb.retention.time=STORAGE.TSDB.RETENTION.TIME  ',
      '                                 [DEPRECATED] How long to retain samples',
      '      --[no-]web.enable-lifecycle  ',
      '                                 Enable shutdown and reload via HTTP request.',
    ].join('\n');
    expect(helpFlags(help)).toEqual(new Map([['storage.tsdb.retention.time', { deprecated: true }], ['web.enable-lifecycle', { deprecated: false }]]));
  });
});

/**
 * Loki's -verify-config accepts deprecated keys without a word, so the ones its source marks deprecated are listed
 * here, each with where it says so (grafana/loki at v3.7.6). Checked against the rendered loki.yaml.
 */
const lokiDeprecated: { path: string[]; evidence: string }[] = [
  { path: ['ruler', 'remote_write', 'client'], evidence: "pkg/ruler/config.go:56 `yaml:\"client\" doc:\"deprecated|description=Use 'clients' instead\"`" },
];

describe('the rendered loki.yaml uses no key Loki 3.7.6 has deprecated', () => {
  const loki = parse(readFileSync(join(generatedDir, 'loki', 'loki.yaml'), 'utf8')) as Record<string, unknown>;
  const at = (path: string[]) => path.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), loki);

  it.each(lokiDeprecated)('$path.0 … $path.2 ($evidence)', ({ path }) => {
    expect(at(path), path.join('.')).toBeUndefined();
  });

  // ruler.storage is marked deprecated (pkg/ruler/base/ruler.go:93, "Use -ruler-storage."), but its replacement
  // ruler_storage is read only with storage_config.use_thanos_objstore: true; otherwise Loki ignores it with a
  // warning and the ruler finds no rules (pkg/loki/modules.go:1589-1606, initRulerStorage). The kit keeps the
  // legacy key, the one this storage setup reads, on purpose — and never both.
  it('keeps ruler.storage, the key Loki reads without the Thanos object store, and has no ignored ruler_storage', () => {
    expect(at(['storage_config', 'use_thanos_objstore'])).not.toBe(true);
    expect(at(['ruler', 'storage', 'type'])).toBe('local');
    expect(at(['ruler_storage'])).toBeUndefined();
  });

  it('still sends recording rules to Prometheus, through `clients`', () => {
    expect(at(['ruler', 'remote_write', 'clients'])).toEqual({ prometheus: { url: `http://prometheus:${engineVersion('prometheus').ports.http}/api/v1/write` } });
  });
});
