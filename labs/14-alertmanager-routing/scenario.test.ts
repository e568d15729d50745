import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineVersion } from '../../stack/versions.ts';
import { alertsOf, draw, drawOf, receiversOf } from './scenario.ts';
import { routing } from './solution.ts';

describe("lab 14's scenario", () => {
  it('draws three different services and a window that outlasts a one-hour silence', () => {
    const now = Date.parse('2026-12-02T04:20:00Z');
    for (let i = 0; i < 20; i++) {
      const d = draw(Math.random, now);
      expect(new Set([d.burning, d.restarting, d.maintenance]).size).toBe(3);
      expect(d.until).toBe(Date.parse('2026-12-02T07:00:00Z'));
    }
  });

  it('reads its draw back from the alerts it posts', () => {
    const d = draw(() => 0.5, Date.parse('2026-12-02T04:20:00Z'));
    expect(drawOf(alertsOf(d))).toEqual(d);
    expect(alertsOf(d)).toHaveLength(8);
  });

  it('pages on critical alerts and still tells the team; an alert without a team goes to default', () => {
    expect(receiversOf({ severity: 'critical', team: 'payments' })).toEqual(['pager', 'payments']);
    expect(receiversOf({ severity: 'warning', team: 'storefront' })).toEqual(['storefront']);
    expect(receiversOf({ severity: 'warning', instance: 'db-host-1' })).toEqual(['default']);
  });
});

describe("lab 14's files", () => {
  // The student's file holds plain URLs (Alertmanager expands no variables): they must follow stack/versions.yaml.
  it("send every receiver to the alert sink's port, one path per receiver", () => {
    const starter = readFileSync(join(import.meta.dirname, 'starter/alertmanager/alertmanager.yml'), 'utf8');
    const sink = `http://127.0.0.1:${engineVersion('alert-sink').ports.http}`;
    for (const text of [starter, routing]) {
      for (const receiver of ['default', 'pager', 'storefront', 'payments']) expect(text).toContain(`url: ${sink}/${receiver}\n`);
    }
  });
});
