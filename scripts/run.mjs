// The kit's launcher: `node scripts/run.mjs <command> [args]`, what every npm script of the CLI calls.
//
// It runs scripts/cli.ts from the compiled copy of the kit (scripts/compiled.mjs says why and how), built
// first when the sources changed. When no build can be made — esbuild missing, or a syntax error in a file
// being edited — it runs the TypeScript sources through tsx instead, as the kit always could, so the error
// message names the file and the line.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { currentBuild } from './compiled.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

let build;
try {
  build = await currentBuild(root);
} catch (error) {
  if (process.env.O11Y_DEBUG) process.stderr.write(`[run] no compiled build (${error.message.split('\n')[0]}); running the sources through tsx\n`);
}

if (build) {
  await import(pathToFileURL(join(build, 'scripts', 'cli.js')).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'scripts', 'cli.ts')).href);
}
