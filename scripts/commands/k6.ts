/**
 * `npm run k6 -- <script>`: runs a k6 script against the lab's stack the way the labs expect — metrics
 * remote-written to Prometheus and tagged testid=<started lab>, SHOP_URL set, no usage report. Exit code 0
 * when the run and its thresholds pass, 1 when a threshold fails, 4 when k6 itself fails.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { runK6 } from '../../k6/run.ts';
import { SetupError, UsageError } from '../../lib/errors.ts';
import { binaryPath } from '../../stack/binaries.ts';
import { engineVersion } from '../../stack/versions.ts';
import { parseArgs } from '../args.ts';
import { selectRuntime } from '../../lifecycle/runtime.ts';
import { readSession } from '../../lifecycle/state.ts';

/** k6 exits 99 when a threshold fails. */
const thresholdsFailed = 99;

export async function k6Command(argv: string[]): Promise<number> {
  const { positionals, flags } = parseArgs(argv, ['testid', 'runtime']);
  const [script] = positionals;
  if (!script) throw new UsageError('k6 needs a script to run', 'Example: npm run k6 -- workspace/k6/first-test.ts');
  // npm runs scripts from the repository root; INIT_CWD is where the student typed the command.
  const path = resolve(process.env.INIT_CWD ?? process.cwd(), script);
  if (!existsSync(path)) throw new UsageError(`no k6 script at ${path}`, 'Give the path of a .ts or .js file, e.g. workspace/k6/first-test.ts');
  const session = readSession();
  const testid = typeof flags.get('testid') === 'string' ? (flags.get('testid') as string) : session?.lab ?? 'adhoc';
  const endpoints = selectRuntime(flags.get('runtime') ?? session?.runtime).endpoints();
  process.stderr.write(`… k6 run ${script} (metrics to Prometheus with testid=${testid})\n`);
  const result = await runK6({ k6: binaryPath(engineVersion('k6'), 'k6'), script: path, prometheusUrl: endpoints.prometheus!, testid, scriptEnv: { SHOP_URL: endpoints.shop! }, timeoutMs: 30 * 60_000, live: true });
  if (result.exitCode === 0) return 0;
  if (result.exitCode === thresholdsFailed) return 1;
  throw new SetupError(`k6 failed (exit ${result.exitCode}) running ${script}`, 'Read the lines above: usually a syntax error in the script, or an import k6 does not know.');
}
