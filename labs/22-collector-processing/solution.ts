/**
 * Lab 22 reference solution: the processing file a good student writes (reference-processing.yaml), applied —
 * the gateway restarts with it.
 */
import { readFileSync } from 'node:fs';
import { labFile, type LabContext } from '../api.ts';

/** The reference processing overlay: redact, hash, tail-sample (the mistakes slip it). */
export const reference = readFileSync(labFile('22-collector-processing', 'reference-processing.yaml'), 'utf8');

/** Writes `config` as the student's processing file and applies it. */
export async function configure(ctx: LabContext, config = reference): Promise<void> {
  await ctx.writeFile('otelcol/processing.yaml', config);
  await ctx.apply();
}

export default async function solution(ctx: LabContext): Promise<void> {
  await configure(ctx);
  ctx.log('the gateway redacts, hashes and tail-samples');
}
