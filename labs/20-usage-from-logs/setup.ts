/**
 * Lab 20 setup: an empty database "usage", and the shop's logs in Loki at the time each line says it happened.
 * That needs a log shipper that parses the line's time (lab 7's ships each line at the time it read it, which
 * would hide late events): where the workspace's shipper does not, this lab's is put in place, after a backup.
 */
import { readFileSync } from 'node:fs';
import { labFile, type LabContext } from '../api.ts';
import { freshDatabase } from './database.ts';

/** The shipper this lab runs (its starter file): lab 7's, with each line's "time" as its timestamp. */
export const shipper = readFileSync(labFile('20-usage-from-logs', 'starter/otelcol/log-shipper.yaml'), 'utf8');

export default async function setup(ctx: LabContext): Promise<void> {
  await freshDatabase(ctx);
  ctx.log('the database "usage" is empty');
  const current = await ctx.readFile('otelcol/log-shipper.yaml').catch(() => '');
  if (!/parse_from:\s*attributes\.time/.test(current.replace(/#.*$/gm, ''))) {
    await ctx.replaceFile('otelcol/log-shipper.yaml', shipper);
    ctx.log("the shop's logs now reach Loki with their own time (workspace/otelcol/log-shipper.yaml)");
  }
}
