// Starts one demo service natively: `node stack/apps/start.mjs shop|inventory` (stack/services.ts).
// It runs stack/apps/main.ts from the kit's compiled copy — half a second sooner than through tsx — or through
// tsx when no build can be made (scripts/compiled.mjs). In its container the image runs main.ts itself.
import { fileURLToPath } from 'node:url';
import { runProgram } from '../../scripts/compiled.mjs';

await runProgram(fileURLToPath(new URL('../..', import.meta.url)), 'stack/apps/main.ts');
