import { UsageError } from '../../lib/errors.ts';
import { createProgress } from '../../lib/progress.ts';
import { parseArgs } from '../args.ts';
import { printTable } from '../table.ts';
import { selectRuntime } from '../../lifecycle/runtime.ts';

export async function stackUp(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv, ['runtime']);
  const runtime = selectRuntime(flags.get('runtime'));
  const statuses = await runtime.up(positionals, createProgress());
  printTable(['service', 'state', 'url'], statuses.map((s) => [s.name, s.state, s.url]));
  return 0;
}

export async function stackDown(argv: string[]): Promise<number> {
  const { flags } = parseArgs(argv, ['runtime']);
  await selectRuntime(flags.get('runtime')).down(createProgress());
  return 0;
}

export async function stackStatus(argv: string[]): Promise<number> {
  const { flags } = parseArgs(argv, ['runtime']);
  const statuses = await selectRuntime(flags.get('runtime')).status();
  if (flags.has('json')) {
    process.stdout.write(`${JSON.stringify(statuses.map(({ name, state, url }) => ({ name, state, url })), null, 2)}\n`);
  } else {
    printTable(['service', 'state', 'url', 'detail'], statuses.map((s) => [s.name, s.state, s.url, s.detail ?? '']));
  }
  return 0;
}

export async function stackLogs(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv, ['runtime', 'lines']);
  const [service] = positionals;
  if (!service) throw new UsageError('stack:logs needs a service name', 'Example: npm run stack:logs loki');
  const lines = Number(flags.get('lines') ?? 200);
  process.stdout.write(`${await selectRuntime(flags.get('runtime')).logs(service, lines)}\n`);
  return 0;
}
