/**
 * The student's instrumentation of the shop (lab 9): an optional TypeScript module in the workspace,
 * workspace/shop/instrument.ts, that the shop loads as it starts (the kit restarts the shop when the file changes,
 * lifecycle/workspace.ts). It may export
 *
 *   reserveStock(cart, reserve): Promise<Reservation>
 *
 * which the shop calls around its stock reservation in POST /checkout: `reserve()` makes the call to the
 * inventory (with the kit's own CLIENT span) and resolves to how it went. The student wraps it in a span of their
 * own with the OpenTelemetry API — so no kit code is edited, and the kit's spans stay the truth a check compares with.
 *
 * The shop never depends on the student's code: a missing file, one that fails to load or has no reserveStock,
 * or a reserveStock that throws or forgets to call reserve() each cost one clear log line, and the checkout
 * goes on as without it.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { register } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Logger } from './log.ts';

/** What the shop is about to reserve: the cart of this request. */
export interface Cart {
  id: string;
  items: { productId: string; quantity: number }[];
  /** The cart's value, in the catalogue's currency. */
  total: number;
}

/** How the reservation went: the inventory's HTTP status (2xx: reserved). */
export interface Reservation {
  ok: boolean;
  status: number;
}

export type ReserveStock = (cart: Cart, reserve: () => Promise<Reservation>) => Promise<Reservation>;

/**
 * The module-resolution hook of lab 20's job runner (job-imports-hooks.mjs): the workspace has no node_modules
 * (and in the container is a mount beside /app), so a package the student imports (@opentelemetry/api) is found
 * from the kit's folder. Found by walking up from this module, which runs from stack/apps/ (tsx, the container)
 * or from the kit's compiled copy under .lab/cli/ (scripts/compiled.mjs).
 */
function kitImportHooks(): string | undefined {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const hooks = join(dir, 'stack', 'apps', 'job-imports-hooks.mjs');
    if (existsSync(hooks)) return pathToFileURL(hooks).href;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Loads the student's reserveStock from `file`, or undefined (saying why in one log line). */
export async function loadInstrument(file: string | undefined, log: Logger): Promise<ReserveStock | undefined> {
  if (!file) return undefined;
  if (!existsSync(file)) {
    log('info', `no instrumentation file at ${file}: checkout runs without it`);
    return undefined;
  }
  try {
    const hooks = kitImportHooks();
    if (hooks) register(hooks);
    // tsx runs the TypeScript; natively the shop itself is compiled JavaScript and has no loader of its own.
    const { tsImport } = await import('tsx/esm/api');
    const loaded = (await tsImport(pathToFileURL(file).href, import.meta.url)) as { reserveStock?: unknown };
    if (typeof loaded.reserveStock !== 'function') {
      log('warn', `instrumentation file ${file} exports no function reserveStock: checkout runs without it`);
      return undefined;
    }
    log('info', `instrumentation loaded from ${file}`);
    return loaded.reserveStock as ReserveStock;
  } catch (error) {
    log('error', `instrumentation file ${file} failed to load: ${(error as Error).message.split('\n')[0]}; checkout runs without it`);
    return undefined;
  }
}

/**
 * Reserves through the student's reserveStock when there is one. The shop acts on what the inventory answered
 * (reserve()'s own result), not on what reserveStock returns; if reserveStock throws before reserving or never
 * reserves, the shop reserves itself. An error of reserve() itself (the inventory unreachable) goes on up.
 */
export async function reserveThrough(hook: ReserveStock | undefined, cart: Cart, reserve: () => Promise<Reservation>, log: Logger): Promise<Reservation> {
  if (!hook) return reserve();
  let outcome: { result: Reservation } | { error: unknown } | undefined;
  const tracked = async () => {
    try {
      const result = await reserve();
      outcome = { result };
      return result;
    } catch (error) {
      outcome = { error };
      throw error;
    }
  };
  try {
    await hook(cart, tracked);
    if (!outcome) log('warn', 'reserveStock returned without calling reserve(); reserving without it');
  } catch (error) {
    if (!outcome) log('warn', `reserveStock threw before reserving (${(error as Error)?.message ?? error}); reserving without it`);
  }
  if (!outcome) return reserve();
  if ('error' in outcome) throw outcome.error;
  return outcome.result;
}
