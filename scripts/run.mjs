// The kit's launcher: `node scripts/run.mjs <command> [args]`, what every npm script of the CLI calls.
// It runs scripts/cli.ts from the compiled copy of the kit, built first when the sources changed, or through
// tsx when no build can be made (scripts/compiled.mjs says why and how).
import { fileURLToPath } from 'node:url';
import { runProgram } from './compiled.mjs';

await runProgram(fileURLToPath(new URL('..', import.meta.url)), 'scripts/cli.ts');
