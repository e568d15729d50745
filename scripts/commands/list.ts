/**
 * lab:list: the labs by module, and which one is started. A file of its own so that listing loads only the
 * catalogue, not the lifecycle behind the other lab commands.
 */
import { catalogue } from '../../lifecycle/labs.ts';
import { readSession } from '../../lifecycle/state.ts';
import { parseArgs } from '../args.ts';
import { printTable } from '../table.ts';

export async function labList(argv: string[]): Promise<number> {
  const { flags } = parseArgs(argv);
  const labs = await catalogue();
  const current = readSession()?.lab;
  if (flags.has('json')) {
    process.stdout.write(`${JSON.stringify(labs.map((l) => ({ number: l.number, slug: l.slug, module: l.module, title: l.title, started: l.id === current })), null, 2)}\n`);
  } else {
    printTable(['#', 'module', 'lab', 'title', ''], labs.map((l) => [String(l.number), l.module, l.slug, l.title, l.id === current ? '← started' : '']));
  }
  return 0;
}
