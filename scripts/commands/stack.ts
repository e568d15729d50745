import { UsageError } from '../../lib/errors.ts';
import { createProgress } from '../../lib/progress.ts';
import { parseArgs } from '../args.ts';
import { printTable } from '../table.ts';
import { stopLoad } from '../../lifecycle/load.ts';
import { selectRuntime } from '../../lifecycle/runtime.ts';
import { planTour, startTour, tourFacts } from '../../lifecycle/tour.ts';

export async function stackUp(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv, ['runtime']);
  const runtime = selectRuntime(flags.get('runtime'));
  const progress = createProgress();
  const statuses = await runtime.up(positionals, progress);
  printTable(['service', 'state', 'url'], statuses.map((s) => [s.name, s.state, s.url]));
  // Before any lab, the whole stack comes with live data for its dashboards (lifecycle/tour.ts).
  const tour = planTour(tourFacts(positionals));
  if (!tour.skipped) await startTour(tour, runtime, progress);
  return 0;
}

export async function stackDown(argv: string[]): Promise<number> {
  const { flags } = parseArgs(argv, ['runtime']);
  // The background load first (a lab's, or the stack tour's): its shoppers would only meet closed ports.
  await stopLoad();
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
