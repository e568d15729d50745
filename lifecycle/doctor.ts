/**
 * The machine check that `npm run doctor` prints and `lab:start` runs first: ports, memory, CPU, Docker and
 * engines, each problem with its fix (the rules are in stack/doctor.ts).
 */
import { diagnose, gatherFacts, type Finding } from '../stack/doctor.ts';
import type { StackRuntime } from '../stack/runtime.ts';

const mark = { ok: '✓', warn: '!', error: '✗' } as const;

export function printFindings(findings: Finding[], write: (line: string) => void): void {
  for (const f of findings) write(`${mark[f.level]} ${f.what}${f.fix ? `\n    → ${f.fix}` : ''}`);
}

/** The findings for this machine and runtime (a native stack's own services do not count as port clashes). */
export async function runDoctor(runtime: StackRuntime): Promise<Finding[]> {
  return diagnose(await gatherFacts(runtime.name === 'native' ? await runtime.status() : []));
}
