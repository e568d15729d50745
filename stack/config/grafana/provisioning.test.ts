/**
 * Grafana's configuration and provisioning have the documented shape: grafana.ini on PostgreSQL and Redis with
 * nothing phoning home, datasources with fixed UIDs and their correlations (as compose and as the native driver
 * provision them), and dashboards that use only provisioned datasources and the demo app's metric.
 * References: https://grafana.com/docs/grafana/latest/administration/provisioning/
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseIni } from '../../../lib/ini.ts';
import { repoRoot } from '../../../lib/paths.ts';
import { composeValues } from '../../compose/model.ts';
import { nativeValues } from '../../native/launch.ts';
import { renderTemplate, type RenderValues } from '../../render.ts';
import { findService } from '../../services.ts';

const dir = join(repoRoot, 'stack', 'config', 'grafana');
const read = (file: string) => readFileSync(join(dir, file), 'utf8');
// Rendered as compose renders them (the native rendering differs only in addresses: parity.test.ts).
const render = (file: string) => renderTemplate(read(file), composeValues('grafana'), file);

interface Datasource {
  name: string;
  uid: string;
  type: string;
  access: string;
  url: string;
  user?: string;
  jsonData?: Record<string, unknown>;
  secureJsonData?: Record<string, string>;
}

const ini = parseIni(render('grafana.ini'));
const datasourcesFile = parse(render('provisioning/datasources/datasources.yaml')) as { apiVersion: number; prune: boolean; datasources: Datasource[] };
const datasources = datasourcesFile.datasources;
const byUid = (uid: string) => datasources.find((d) => d.uid === uid)!;

/**
 * The datasources as each runtime provisions them: compose (containers reach each other by service name) and
 * native (everything on 127.0.0.1), rendered as the native driver renders them (stack/native/launch.ts).
 */
const nativeEnv = { O11Y_LAB_STATE: '/home/student/kit/.lab', O11Y_LAB_WORKSPACE: '/home/student/kit/workspace', O11Y_LAB_CACHE: '/nonexistent/cache', O11Y_LAB_ENGINES_LOCAL: '/nonexistent/engines.local.yaml' };
const runtimes: { runtime: string; values: RenderValues; host: (service: string) => string }[] = [
  { runtime: 'compose', values: composeValues('grafana'), host: (service) => service },
  { runtime: 'native', values: nativeValues(findService('grafana')!, nativeEnv), host: () => '127.0.0.1' },
];
const provisionedDatasources = (values: RenderValues) => {
  const file = 'provisioning/datasources/datasources.yaml';
  return parse(renderTemplate(read(file), values, file)) as { apiVersion: number; prune: boolean; datasources: Datasource[] };
};
const dashboardFiles = readdirSync(join(dir, 'provisioning', 'dashboards')).filter((f) => f.endsWith('.json'));
const dashboards = dashboardFiles.map((file) => ({ file, json: JSON.parse(read(`provisioning/dashboards/${file}`)) as Record<string, unknown> }));

describe('grafana.ini', () => {
  it('keeps Grafana\'s database in PostgreSQL and its cache in Redis, at their stack addresses', () => {
    expect(ini.database).toMatchObject({ type: 'postgres', host: 'postgres:15432', name: 'grafana', user: 'postgres' });
    expect(ini.remote_cache).toMatchObject({ type: 'redis' });
    expect(ini.remote_cache!.connstr).toMatch(/^addr=redis:16379(,|$)/);
    expect(read('grafana.ini')).toMatch(/host = \{\{ addr\.postgres\.sql \}\}/);
  });

  it('uses unified alerting, and lets nobody in anonymously or by signing up', () => {
    expect(ini.unified_alerting?.enabled).toBe('true');
    expect(ini['auth.anonymous']?.enabled).toBe('false');
    expect(ini.users?.allow_sign_up).toBe('false');
  });

  it('phones nowhere home: no reporting, no update checks, no news, no plugin downloads, no public snapshots', () => {
    expect(ini.analytics).toMatchObject({ reporting_enabled: 'false', check_for_updates: 'false', check_for_plugin_updates: 'false', feedback_links_enabled: 'false' });
    expect(ini.news?.news_feed_enabled).toBe('false');
    expect(ini.plugins).toMatchObject({ preinstall_disabled: 'true', preinstall_auto_update: 'false' });
    expect(ini.snapshots?.external_enabled).toBe('false');
    expect(ini.security?.disable_gravatar).toBe('true');
  });

  it('holds no secret: the admin password and secret key come from the environment', () => {
    expect(ini.security?.admin_password).toBeUndefined();
    expect(ini.security?.secret_key).toBeUndefined();
    expect(ini.database?.password).toBeUndefined();
  });

  it('listens where the runtime says, on the port of versions.yaml, and provisions from its config directory', () => {
    expect(ini.server).toMatchObject({ http_addr: '0.0.0.0', http_port: '3000' });
    expect(ini.paths).toMatchObject({ data: '/var/lib/grafana', provisioning: '/etc/lab/grafana/provisioning' });
    expect(ini.dashboards?.default_home_dashboard_path).toBe('/etc/lab/grafana/provisioning/dashboards/stack-overview.json');
  });
});

describe.each(runtimes)('provisioned datasources ($runtime)', ({ values, host }) => {
  const datasourcesFile = provisionedDatasources(values);
  const datasources = datasourcesFile.datasources;
  const byUid = (uid: string) => datasources.find((d) => d.uid === uid)!;

  it('are exactly the stack\'s engines, with fixed UIDs, read-only, pruned when removed from the file', () => {
    expect(datasourcesFile.apiVersion).toBe(1);
    expect(datasourcesFile.prune).toBe(true);
    expect(datasources.map((d) => d.uid).sort()).toEqual(['alertmanager', 'influxdb', 'loki', 'postgres', 'prometheus', 'tempo']);
    for (const d of datasources) {
      expect(d, d.uid).toMatchObject({ access: 'proxy', editable: false });
      expect(d.name, d.uid).toBeTruthy();
    }
    expect(datasources.filter((d) => (d as { isDefault?: boolean }).isDefault).map((d) => d.uid)).toEqual(['prometheus']);
  });

  it('point at the stack\'s addresses (placeholders in the template)', () => {
    const expected: Record<string, string> = {
      prometheus: `http://${host('prometheus')}:9090`,
      loki: `http://${host('loki')}:3100`,
      tempo: `http://${host('tempo')}:3200`,
      alertmanager: `http://${host('alertmanager')}:9093`,
      influxdb: `http://${host('influxdb')}:8086`,
      postgres: `${host('postgres')}:15432`,
    };
    for (const [uid, url] of Object.entries(expected)) expect(byUid(uid).url, uid).toBe(url);
    expect(read('provisioning/datasources/datasources.yaml')).not.toMatch(/127\.0\.0\.1|localhost/);
  });

  it('link exemplars in Prometheus to traces in Tempo', () => {
    const destinations = byUid('prometheus').jsonData!.exemplarTraceIdDestinations as { name: string; datasourceUid: string }[];
    expect(destinations.map((d) => d.name)).toEqual(expect.arrayContaining(['trace_id', 'traceID']));
    for (const d of destinations) expect(d.datasourceUid).toBe('tempo');
  });

  it('turn a trace_id in a Loki log line into a link to Tempo', () => {
    const fields = byUid('loki').jsonData!.derivedFields as { name: string; matcherRegex: string; datasourceUid: string; url: string }[];
    expect(fields).toContainEqual(expect.objectContaining({ name: 'trace_id', matcherRegex: 'trace_id', datasourceUid: 'tempo' }));
    // Grafana expands $NAME in provisioning files; the template variable must be escaped as $$.
    for (const f of fields) expect(f.url).toBe('$${__value.raw}');
  });

  it('link Tempo to logs, metrics and the service map, with the node graph on', () => {
    const json = byUid('tempo').jsonData!;
    expect(json.tracesToLogsV2).toMatchObject({ datasourceUid: 'loki', filterByTraceID: true });
    expect(json.tracesToMetrics).toMatchObject({ datasourceUid: 'prometheus' });
    expect(json.serviceMap).toEqual({ datasourceUid: 'prometheus' });
    expect(json.nodeGraph).toEqual({ enabled: true });
    for (const query of (json.tracesToMetrics as { queries: { query: string }[] }).queries) expect(query.query).toContain('$$__tags');
  });

  it('refer only to datasources that exist', () => {
    const uids = new Set(datasources.map((d) => d.uid));
    const referenced = [...JSON.stringify(datasources).matchAll(/"datasourceUid":"([^"]+)"/g)].map((m) => m[1]!);
    expect(referenced.length).toBe(7);
    for (const uid of referenced) expect(uids).toContain(uid);
  });

  it('query InfluxDB with InfluxQL, and PostgreSQL as the lab user with no password (the lab database trusts its clients)', () => {
    expect(byUid('influxdb').jsonData).toMatchObject({ version: 'InfluxQL', dbName: 'lab' });
    expect(byUid('postgres')).toMatchObject({ type: 'grafana-postgresql-datasource', user: 'postgres', jsonData: { database: 'postgres', sslmode: 'disable' } });
    expect(byUid('postgres').secureJsonData).toBeUndefined();
  });
});

describe('dashboard provider', () => {
  const provider = parse(render('provisioning/dashboards/dashboards.yaml')) as { apiVersion: number; providers: { type: string; folder: string; allowUiUpdates: boolean; disableDeletion: boolean; options: { path: string } }[] };

  it('loads the JSON files beside it, read-only, into one folder', () => {
    expect(provider.apiVersion).toBe(1);
    expect(provider.providers).toHaveLength(1);
    expect(provider.providers[0]).toMatchObject({ type: 'file', folder: 'Lab stack', allowUiUpdates: false, disableDeletion: true, options: { path: '/etc/lab/grafana/provisioning/dashboards' } });
  });
});

/** Every datasource reference in a dashboard: panels, targets and template variables. */
function datasourceRefs(node: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(node)) node.forEach((n) => datasourceRefs(n, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'datasource') out.push(value);
      else datasourceRefs(value, out);
    }
  }
  return out;
}

const exprsOf = (json: unknown) => [...JSON.stringify(json).matchAll(/"expr":"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);

describe('dashboards', () => {
  it('are the stack overview and the demo app\'s RED dashboard, with fixed unique UIDs', () => {
    expect(dashboards.map((d) => d.json.uid).sort()).toEqual(['demo-app-red', 'stack-overview']);
    for (const { file, json } of dashboards) {
      expect(json.title, file).toBeTruthy();
      expect(json.editable, file).toBe(false);
    }
  });

  it.each(dashboards)('$file: uses only provisioned datasources, by UID', ({ json }) => {
    const uids = new Set(datasources.map((d) => d.uid));
    const refs = datasourceRefs(json);
    expect(refs.length).toBeGreaterThan(3);
    for (const ref of refs) {
      // An object {type, uid}: a name or an import placeholder (${DS_PROMETHEUS}) would break on another machine.
      expect(ref, JSON.stringify(ref)).toMatchObject({ uid: expect.any(String), type: expect.any(String) });
      const { uid, type } = ref as { uid: string; type: string };
      expect(uids, uid).toContain(uid);
      expect(type).toBe(byUid(uid).type);
    }
  });

  it.each(dashboards)('$file: has queries with balanced brackets and quotes', ({ json }) => {
    for (const expr of exprsOf(json)) {
      for (const [open, close] of [['(', ')'], ['{', '}'], ['[', ']']] as const) {
        expect(expr.split(open).length, `${expr}: ${open}${close}`).toBe(expr.split(close).length);
      }
      expect((expr.match(/"/g) ?? []).length % 2, expr).toBe(0);
    }
  });

  it('show the demo app\'s RED metrics from http_server_request_duration_seconds by service, route and status_code', () => {
    const red = dashboards.find((d) => d.json.uid === 'demo-app-red')!.json;
    const exprs = exprsOf(red);
    expect(exprs.some((e) => /rate\(http_server_request_duration_seconds_count\{/.test(e))).toBe(true);
    expect(exprs.some((e) => /status_code=~"5\.\."/.test(e))).toBe(true);
    expect(exprs.some((e) => /histogram_quantile\(0\.95, sum by \(le(, route)?\) \(rate\(http_server_request_duration_seconds_bucket\{/.test(e))).toBe(true);
    for (const e of exprs.filter((x) => x.includes('http_server_request_duration_seconds'))) {
      expect(e).toContain('service=~"$service"');
      expect(e).toContain('route=~"$route"');
    }
    const variables = (red.templating as { list: { name: string }[] }).list.map((v) => v.name);
    expect(variables).toEqual(['service', 'route']);
  });
});
