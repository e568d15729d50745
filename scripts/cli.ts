/**
 * The kit's command line: `node scripts/run.mjs <command> [args]` (which runs this file compiled), reached
 * through the npm scripts in package.json. One file per command under scripts/commands/; this file only dispatches, and holds the single
 * top-level catch that turns a LabKitError into one clear message and its exit code.
 */
import { ExitCode, formatError, LabKitError, UsageError } from '../lib/errors.ts';
import { createProgress } from '../lib/progress.ts';
import { commands } from './commands/index.ts';
import { withLabLock } from '../lifecycle/lock.ts';

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = commands.find((c) => c.name === name);
  if (!command) {
    throw new UsageError(
      name ? `unknown command "${name}"` : 'no command given',
      `Commands: ${commands.map((c) => c.name).join(', ')}.`,
    );
  }
  return command.locked ? withLabLock(command.name, () => command.run(args), { progress: createProgress() }) : command.run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof LabKitError) {
      process.stderr.write(`${formatError(error)}\n`);
      process.exitCode = error.exitCode;
    } else {
      // A bug, not a user error: show everything.
      console.error(error);
      process.exitCode = ExitCode.setup;
    }
  },
);
