/** engines:install, engines:status and engines:lock: thin wrappers around stack/engine-install.ts. */
import { createProgress } from '../../lib/progress.ts';
import { UsageError } from '../../lib/errors.ts';
import { adoptBinary, engineStatuses, installEngines, lockReleases, reportedVersions } from '../../stack/engine-install.ts';
import { engineVersion } from '../../stack/versions.ts';
import { parseArgs } from '../args.ts';
import { printTable } from '../table.ts';

export async function enginesInstall(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv);
  await installEngines({ progress: createProgress(), only: positionals, fromSource: flags.has('from-source'), ...(flags.has('offline') ? { offline: true } : {}) });
  return 0;
}

export async function enginesStatus(argv: string[]): Promise<number> {
  const { flags } = parseArgs(argv);
  // The version each binary reports: running every engine costs a moment, so only when asked, or for JSON.
  const statuses = flags.has('versions') || flags.has('json') ? reportedVersions(engineStatuses()) : engineStatuses();
  if (flags.has('json')) {
    process.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
  } else {
    printTable(
      ['engine', 'pinned', 'reports', 'came in', 'binary'],
      statuses.map((s) => [s.name, s.version, s.reported ?? (s.present ? '' : '—'), s.present ? s.way : `✗ ${s.problem ?? `missing (${s.ways.join(' / ')})`}`, s.path]),
    );
    const missing = statuses.filter((s) => !s.present).map((s) => s.name);
    if (missing.length) process.stderr.write(`\nmissing: ${missing.join(', ')} — npm run engines:install installs them (lab:start does it for the engines its lab needs).\n`);
  }
  return statuses.every((s) => s.present) ? 0 : 3;
}

export async function enginesLock(): Promise<number> {
  const count = await lockReleases({ progress: createProgress() });
  process.stderr.write(`✓ ${count} release assets locked in stack/engines.lock.yaml: review and commit the change.\n`);
  return 0;
}

export async function enginesAdopt(argv: string[]): Promise<number> {
  const [name, binary] = parseArgs(argv).positionals;
  if (!name || !binary) throw new UsageError('engines:adopt needs an engine and the path of its binary', 'Example: npm run engines:adopt -- loki /opt/loki/loki-linux-amd64');
  const record = adoptBinary(engineVersion(name), binary);
  process.stderr.write(`✓ ${name} ${record.version}: ${binary} copied into the engine cache; every checkout on this machine uses it now.\n`);
  return 0;
}
