/**
 * Time to verdict (for the notes, never asserted): how long `npm run check` takes to fail a fresh lab, the
 * starter files untouched, with the deadlines a student gets. Each lab is reset and started first, in a state
 * directory of its own; the runs of one lab alternate between the kits compared.
 *
 *   npx tsx scripts/bench-verdict.ts                     every lab, this checkout, 3 runs each
 *   npx tsx scripts/bench-verdict.ts --labs 4,7 --runs 5
 *   npx tsx scripts/bench-verdict.ts --other /tmp/old    also an older checkout's CLI on the same stack
 *
 * Ports must be free (npm run lab:stop). Medians reported; the machine is shared, so compare ratios.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogue } from '../lifecycle/labs.ts';
import { repoRoot } from '../lib/paths.ts';
import { parseArgs } from './args.ts';

const { flags } = parseArgs(process.argv.slice(2), ['labs', 'runs', 'other']);
const runs = Number(flags.get('runs') ?? 3);
const kits = [repoRoot, ...(typeof flags.get('other') === 'string' ? [flags.get('other') as string] : [])];
const labs = (await catalogue()).filter((lab) => typeof flags.get('labs') !== 'string' || (flags.get('labs') as string).split(',').includes(String(lab.number)));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const state = mkdtempSync(join(tmpdir(), 'o11y-verdict-'));
const env = { ...process.env, O11Y_LAB_STATE: join(state, 'state'), O11Y_LAB_WORKSPACE: join(state, 'workspace'), STACK_RUNTIME: 'native' };

function cli(kit: string, args: string[]): Promise<{ code: number | null; ms: number; stdout: string }> {
  const started = Date.now();
  return new Promise((resolve) => {
    // A checkout from before the launcher existed runs its CLI through tsx.
    const launcher = existsSync(join(kit, 'scripts', 'run.mjs')) ? [join(kit, 'scripts', 'run.mjs')] : ['--import', 'tsx', join(kit, 'scripts', 'cli.ts')];
    const child = spawn(process.execPath, [...launcher, ...args], { cwd: kit, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.once('close', (code) => resolve({ code, ms: Date.now() - started, stdout }));
  });
}

try {
  console.log(`| lab | ${kits.map((k) => `${k === repoRoot ? 'this kit' : k}: median s (runs)`).join(' | ')} |`);
  console.log(`|---|${kits.map(() => '---|').join('')}`);
  for (const lab of labs) {
    const times = kits.map(() => [] as number[]);
    for (let run = 0; run < runs; run += 1) {
      for (const [i, kit] of kits.entries()) {
        await cli(kit, ['lab:reset', String(lab.number), '--yes']);
        const start = await cli(kit, ['lab:start', String(lab.number)]);
        if (start.code !== 0) throw new Error(`lab:start ${lab.number} failed in ${kit}`);
        const check = await cli(kit, ['check', String(lab.number), '--json']);
        if (check.code !== 1) throw new Error(`check ${lab.number} in ${kit} exited ${check.code}, not 1 (a fresh lab must fail)`);
        times[i]!.push(check.ms);
      }
    }
    console.log(`| ${lab.number} | ${times.map((t) => `${(median(t) / 1000).toFixed(1)} (${t.map((ms) => (ms / 1000).toFixed(1)).join(', ')})`).join(' | ')} |`);
  }
} finally {
  await cli(repoRoot, ['lab:stop']);
  rmSync(state, { recursive: true, force: true });
}
