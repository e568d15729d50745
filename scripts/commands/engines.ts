import { createProgress } from '../../lib/progress.ts';
import { engineStatuses, installEngines } from '../../stack/engine-install.ts';
import { parseArgs } from '../args.ts';
import { printTable } from '../table.ts';

export async function enginesInstall(argv: string[]): Promise<number> {
  const { positionals } = parseArgs(argv);
  await installEngines(createProgress(), positionals);
  return 0;
}

export async function enginesStatus(argv: string[]): Promise<number> {
  const { flags } = parseArgs(argv);
  const statuses = engineStatuses();
  if (flags.has('json')) {
    process.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
  } else {
    printTable(
      ['engine', 'version', 'source', 'present', 'binary'],
      statuses.map((s) => [s.name, s.version, s.source, s.present ? '✓' : '✗ (npm run engines:install)', s.path]),
    );
  }
  return statuses.every((s) => s.present) ? 0 : 3;
}
