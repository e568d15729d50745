import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadInstrument, reserveThrough } from './instrument.ts';

// A workspace outside the checkout, with no node_modules: as the container's /workspace is.
const dir = mkdtempSync(join(tmpdir(), 'instrument-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
const file = (name: string, source: string) => {
  writeFileSync(join(dir, name), source);
  return join(dir, name);
};
const logger = () => {
  const lines: string[] = [];
  return { lines, log: (level: string, msg: string) => void lines.push(`${level} ${msg}`) };
};
const cart = { id: 'c', items: [{ productId: 'tea', quantity: 1 }], total: 4.5 };

describe('loadInstrument', () => {
  it("loads the student's TypeScript, which imports the kit's OpenTelemetry API from a folder without node_modules", async () => {
    const { lines, log } = logger();
    const hook = await loadInstrument(file('ok.ts', "import { trace } from '@opentelemetry/api';\nexport async function reserveStock(_cart: unknown, reserve: () => Promise<unknown>) { trace.getActiveSpan(); return reserve(); }\n"), log);
    expect(typeof hook).toBe('function');
    expect(lines).toEqual([expect.stringMatching(/^info instrumentation loaded from/)]);
  });
  it('says in one line why it runs without: no file, a file that throws as it loads, no reserveStock', async () => {
    for (const [path, said] of [
      [join(dir, 'missing.ts'), /^info no instrumentation file at .*missing\.ts: checkout runs without it$/],
      [file('throws.ts', "throw new Error('boom');\nexport {};\n"), /^error instrumentation file .*throws\.ts failed to load: boom; checkout runs without it$/],
      [file('none.ts', 'export const other = 1;\n'), /^warn instrumentation file .*none\.ts exports no function reserveStock/],
    ] as const) {
      const { lines, log } = logger();
      expect(await loadInstrument(path, log)).toBeUndefined();
      expect(lines).toEqual([expect.stringMatching(said)]);
    }
  });
});

describe('reserveThrough', () => {
  const reserved = { ok: true, status: 200 };
  it("acts on what the inventory answered, whatever the student's function returns", async () => {
    const { log } = logger();
    expect(await reserveThrough(async (_c, reserve) => (await reserve(), { ok: false, status: 1 }), cart, async () => reserved, log)).toEqual(reserved);
  });
  it('reserves itself when the function throws first or never reserves, saying so', async () => {
    for (const hook of [async () => Promise.reject(new Error('oops')), async () => ({ ok: true, status: 200 })]) {
      const { lines, log } = logger();
      let calls = 0;
      expect(await reserveThrough(hook, cart, async () => (calls++, reserved), log)).toEqual(reserved);
      expect(calls).toBe(1);
      expect(lines).toHaveLength(1);
    }
  });
  it('passes on a failure of the reservation itself, and reserves once when the function swallows it', async () => {
    const { log } = logger();
    const unreachable = async () => Promise.reject(new Error('inventory unreachable'));
    await expect(reserveThrough(async (_c, reserve) => reserve(), cart, unreachable, log)).rejects.toThrow('inventory unreachable');
    await expect(reserveThrough(async (_c, reserve) => reserve().catch(() => reserved), cart, unreachable, log)).rejects.toThrow('inventory unreachable');
  });
});
