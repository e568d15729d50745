/** Lab 20 reference solution: the job a good student writes (reference-usage-job.ts), on an empty database. */
import { readFileSync } from 'node:fs';
import { labFile, type LabContext } from '../api.ts';
import { installJob } from './database.ts';

export const job = readFileSync(labFile('20-usage-from-logs', 'reference-usage-job.ts'), 'utf8');

export default async function solution(ctx: LabContext): Promise<void> {
  await installJob(ctx, job);
}
