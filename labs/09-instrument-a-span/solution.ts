/** Lab 9 reference solution: the instrumentation a good student writes (reference-instrument.ts). */
import { readFileSync } from 'node:fs';
import { labFile, type LabContext } from '../api.ts';

export const instrumentFile = 'shop/instrument.ts';
export const reference = readFileSync(labFile('09-instrument-a-span', 'reference-instrument.ts'), 'utf8');

/** Writes the instrumentation and applies it (the shop restarts with it). */
export async function install(ctx: LabContext, source: string): Promise<void> {
  await ctx.writeFile(instrumentFile, source);
  await ctx.apply();
}

export default async function solution(ctx: LabContext): Promise<void> {
  await install(ctx, reference);
}
