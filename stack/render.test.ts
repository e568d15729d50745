import { describe, expect, it } from 'vitest';
import { renderTemplate, renderValues } from './render.ts';
import type { EngineVersion } from './versions.ts';

const engine = (name: string, ports: Record<string, number>): EngineVersion => ({
  name, version: '1', origin: 'release', versionArgs: [], binaries: [], ports,
});

const engines = [engine('prometheus', { http: 9090 }), engine('tempo', { http: 3200, otlp_grpc: 4417 })];
const dirs = { data: '/d', config: '/c', run: '/r', workspace: '/w', logs: '/l' };

describe('renderValues', () => {
  it('gives loopback addresses natively and service names in compose', () => {
    const native = renderValues(engines, { listen: '127.0.0.1', hostOf: () => '127.0.0.1', dirs });
    const compose = renderValues(engines, { listen: '0.0.0.0', hostOf: (s) => s, dirs });
    expect(native['addr.tempo.otlp_grpc']).toBe('127.0.0.1:4417');
    expect(compose['addr.tempo.otlp_grpc']).toBe('tempo:4417');
    expect(compose['port.prometheus.http']).toBe('9090');
    expect(native.listen).toBe('127.0.0.1');
  });
});

describe('renderTemplate', () => {
  const values = renderValues(engines, { listen: '127.0.0.1', hostOf: () => '127.0.0.1', dirs });

  it('fills every placeholder, with or without spaces', () => {
    expect(renderTemplate('url: http://{{ addr.prometheus.http }}/api/v1/write\npath: {{dir.data}}', values, 'x.yaml')).toBe(
      'url: http://127.0.0.1:9090/api/v1/write\npath: /d',
    );
  });

  it('names the file, the line and the placeholder of a typo', () => {
    expect(() => renderTemplate('a: 1\nb: {{ addr.prometheus.htp }}', values, 'stack/config/x.yaml')).toThrow(
      'stack/config/x.yaml:2: unknown placeholder {{ addr.prometheus.htp }}',
    );
  });

  it('leaves text without placeholders unchanged', () => {
    expect(renderTemplate('# {not a placeholder}\n', values, 'x')).toBe('# {not a placeholder}\n');
  });
});
