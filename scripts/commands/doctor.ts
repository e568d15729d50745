/** `npm run doctor`: prints each finding about this machine; exit 3 when one stops the stack from starting. */
import { printFindings, runDoctor } from '../../lifecycle/doctor.ts';
import { selectRuntime } from '../../lifecycle/runtime.ts';
import { parseArgs } from '../args.ts';

export async function doctor(argv: string[]): Promise<number> {
  const { flags } = parseArgs(argv, ['runtime']);
  const findings = await runDoctor(selectRuntime(flags.get('runtime')));
  printFindings(findings, (line) => process.stdout.write(`${line}\n`));
  return findings.some((f) => f.level === 'error') ? 3 : 0;
}
