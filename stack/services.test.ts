import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../lib/paths.ts';
import { isVerbatim, renderTemplate, renderValues } from './render.ts';
import { planStart, services, type ServiceDefinition } from './services.ts';
import { loadVersions } from './versions.ts';

const service = (name: string, needs: string[] = []): ServiceDefinition => ({ ...services[0]!, name, needs });

describe('planStart', () => {
  it('starts what a service needs first, and independent services together', () => {
    const all = [service('grafana', ['postgres', 'redis']), service('postgres'), service('redis'), service('loki')];
    const { waves } = planStart(['grafana', 'loki'], all);
    expect(waves.map((w) => w.map((s) => s.name).sort())).toEqual([['loki', 'postgres', 'redis'], ['grafana']]);
  });

  it('reports unknown services instead of ignoring them', () => {
    expect(planStart(['prometheus', 'promethus']).unknown).toEqual(['promethus']);
  });
});

describe('the service table', () => {
  const values = renderValues(loadVersions().values(), { listen: '127.0.0.1', hostOf: () => '127.0.0.1', dirs: { data: '/d', config: '/c', run: '/r', workspace: '/w', logs: '/l', home: '/h' } });

  it.each(services)('$name: uses a pinned engine, its own binary and ports, and templates that render', (s) => {
    const engine = loadVersions().get(s.engine);
    expect(engine, `engine ${s.engine} in versions.yaml`).toBeDefined();
    expect(engine!.binaries).toContain(s.binary);
    expect(engine!.ports[s.ready.port], 'probe port').toBeDefined();
    expect(engine!.ports[s.url.port], 'url port').toBeDefined();
    for (const file of s.configs.filter((f) => !isVerbatim(f))) {
      const path = join(repoRoot, 'stack', 'config', s.name, file);
      expect(existsSync(path), path).toBe(true);
      const rendered = renderTemplate(readFileSync(path, 'utf8'), values, path);
      expect(rendered).not.toMatch(/\{\{/);
      // Natively, nothing may listen beyond loopback.
      expect(rendered).not.toMatch(/0\.0\.0\.0/);
    }
    for (const arg of s.args) expect(() => renderTemplate(arg, values, s.name)).not.toThrow();
  });

  it('opens every config template with what it is and a reference', () => {
    for (const s of services) {
      // JSON has no comments: a dashboard says what it is in its own description.
      for (const file of s.configs.filter((f) => !isVerbatim(f))) {
        const head = readFileSync(join(repoRoot, 'stack', 'config', s.name, file), 'utf8').split('\n').slice(0, 4).join('\n');
        expect(head, `${s.name}/${file}`).toMatch(/Reference: https?:\/\//);
      }
    }
  });
});
