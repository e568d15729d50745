import { diagnose, gatherFacts, type Finding } from '../../stack/doctor.ts';
import { parseArgs } from '../args.ts';
import { selectRuntime } from './runtime.ts';

const mark = { ok: '✓', warn: '!', error: '✗' } as const;

export function printFindings(findings: Finding[], write: (line: string) => void): void {
  for (const f of findings) write(`${mark[f.level]} ${f.what}${f.fix ? `\n    → ${f.fix}` : ''}`);
}

/** Runs the checks; returns the findings. Used by `doctor` and as the first step of `lab:start`. */
export async function runDoctor(runtimeFlag?: string | true): Promise<Finding[]> {
  const runtime = selectRuntime(runtimeFlag);
  return diagnose(await gatherFacts(runtime.name === 'native' ? await runtime.status() : []));
}

export async function doctor(argv: string[]): Promise<number> {
  const { flags } = parseArgs(argv, ['runtime']);
  const findings = await runDoctor(flags.get('runtime'));
  printFindings(findings, (line) => process.stdout.write(`${line}\n`));
  return findings.some((f) => f.level === 'error') ? 3 : 0;
}
