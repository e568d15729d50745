/**
 * What a native start would run, looked at before anything starts — Grafana's above all: it cannot run on
 * every machine (it cannot on ours), so its launch is proven here from a release-like tree and the shared
 * secrets file, and by the same provisioning checks as compose (stack/config/grafana/provisioning.test.ts).
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseIni } from '../../lib/ini.ts';
import { setOverlay } from '../overlay.ts';
import { parseEnvFile } from '../secrets.ts';
import { findService } from '../services.ts';
import { planLaunch } from './launch.ts';

const root = mkdtempSync(join(tmpdir(), 'o11y-launch-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A Grafana release tree of our own making: bin/grafana reports the pinned version.
const home = join(root, 'grafana-12.3.1');
mkdirSync(join(home, 'bin'), { recursive: true });
writeFileSync(join(home, 'bin', 'grafana'), '#!/bin/sh\necho "grafana version 12.3.1 (commit: test)"\n');
chmodSync(join(home, 'bin', 'grafana'), 0o755);
writeFileSync(join(root, 'engines.local.yaml'), `grafana: ${home}/bin/grafana\n`);
const state = join(root, 'state');
const env = { PATH: process.env.PATH, O11Y_LAB_STATE: state, O11Y_LAB_WORKSPACE: join(root, 'ws'), O11Y_LAB_ENGINES_LOCAL: join(root, 'engines.local.yaml'), O11Y_LAB_CACHE: join(root, 'cache') };
const secrets = join(root, '.env');

describe('native Grafana', () => {
  const plan = planLaunch(findService('grafana')!, { env, secretsFile: secrets });
  const ini = parseIni(plan.configs['grafana.ini']!);

  it('runs `grafana server` from its release tree with the rendered grafana.ini', () => {
    expect(plan.binary).toBe(join(home, 'bin', 'grafana'));
    expect(plan.args).toEqual(['server', '--homepath', home, '--config', join(state, 'config', 'grafana', 'grafana.ini')]);
    expect(plan.cwd).toBe(join(state, 'data', 'grafana'));
  });

  it('listens on 127.0.0.1:3000 and keeps every path inside the lab state', () => {
    expect(ini.server).toMatchObject({ http_addr: '127.0.0.1', http_port: '3000' });
    for (const key of ['data', 'logs', 'plugins', 'provisioning']) expect(ini.paths![key], key).toMatch(new RegExp(`^${state}/`));
  });

  it('keeps its state in the lab PostgreSQL and its cache in the lab Redis', () => {
    expect(ini.database).toMatchObject({ type: 'postgres', host: '127.0.0.1:15432', name: 'grafana', user: 'postgres', ssl_mode: 'disable' });
    expect(ini.remote_cache).toMatchObject({ type: 'redis', connstr: 'addr=127.0.0.1:16379,pool_size=20,db=0,ssl=false' });
    expect(findService('grafana')!.database).toBe('grafana');
  });

  it('is safe by default: no anonymous access, nothing phones home, nothing downloaded at start', () => {
    expect(ini['auth.anonymous']).toMatchObject({ enabled: 'false' });
    expect(ini.analytics).toMatchObject({ reporting_enabled: 'false', check_for_updates: 'false', check_for_plugin_updates: 'false', feedback_links_enabled: 'false' });
    expect(ini.plugins).toMatchObject({ preinstall_disabled: 'true' });
    expect(ini.users).toMatchObject({ allow_sign_up: 'false' });
  });

  it('gets the admin password and secret key generated once into the secrets file compose uses', () => {
    const written = parseEnvFile(readFileSync(secrets, 'utf8'));
    expect(plan.env.GF_SECURITY_ADMIN_PASSWORD).toBe(written.get('GF_SECURITY_ADMIN_PASSWORD'));
    expect(plan.env.GF_SECURITY_SECRET_KEY).toBe(written.get('GF_SECURITY_SECRET_KEY'));
    expect(plan.env.GF_SECURITY_ADMIN_PASSWORD).toMatch(/^[A-Za-z0-9_-]{32}$/);
    // A second start keeps them: changing them would lock Grafana out of its own database.
    expect(planLaunch(findService('grafana')!, { env, secretsFile: secrets }).env).toEqual(plan.env);
  });

  it('provisions the same datasources and dashboards as compose, dashboards copied as they are', () => {
    const compose = join(process.cwd(), 'stack', 'compose', 'config', 'grafana');
    for (const file of Object.keys(plan.configs).filter((f) => f.endsWith('.json'))) {
      expect(plan.configs[file], file).toBe(readFileSync(join(compose, file), 'utf8'));
    }
    expect(Object.keys(plan.configs)).toEqual(expect.arrayContaining(['provisioning/datasources/datasources.yaml', 'provisioning/dashboards/dashboards.yaml']));
    expect(plan.configs['provisioning/datasources/datasources.yaml']).toContain('http://127.0.0.1:9090');
  });
});

describe("native Tempo with lab 12's overlay", () => {
  const tempo = findService('tempo')!;
  const processors = (text: string) => (parse(text) as { overrides: { defaults: { metrics_generator: { processors: string[] } } } }).overrides.defaults.metrics_generator.processors;

  it("runs the kit's config until the overlay is switched on, then the student's file merged over it, and the kit's again when it is off", () => {
    mkdirSync(join(root, 'ws', 'tempo'), { recursive: true });
    writeFileSync(join(root, 'ws', 'tempo', 'metrics-generator.yaml'), 'overrides:\n  defaults:\n    metrics_generator:\n      processors: [span-metrics]\n');
    expect(processors(planLaunch(tempo, { env }).configs['tempo.yaml']!)).toContain('service-graphs');
    setOverlay('tempo', true, env);
    const merged = planLaunch(tempo, { env }).configs['tempo.yaml']!;
    expect(processors(merged)).toEqual(['span-metrics']);
    expect(merged).toContain('http_listen_address: 127.0.0.1');
    setOverlay('tempo', false, env);
    expect(processors(planLaunch(tempo, { env }).configs['tempo.yaml']!)).toContain('service-graphs');
  });
});
