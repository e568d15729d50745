/**
 * The kit's errors. Commands throw these; the single catch in scripts/cli.ts prints one line
 * ("what went wrong — how to fix it") and exits with the error's code. Nothing else calls process.exit.
 */

/** Exit codes, documented in the README. */
export const ExitCode = {
  ok: 0,
  objectivesFailed: 1,
  usage: 2,
  stack: 3,
  setup: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class LabKitError extends Error {
  constructor(
    message: string,
    /** One sentence telling the user what to do about it. */
    readonly fix: string,
    readonly exitCode: ExitCode,
    /** Extra lines shown under the message (for example the last lines of an engine's log). */
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A wrong argument, an unknown lab, a malformed definition or workspace file. */
export class UsageError extends LabKitError {
  constructor(message: string, fix: string, details: string[] = []) {
    super(message, fix, ExitCode.usage, details);
  }
}

/** An engine could not be installed, started, or reached. */
export class StackError extends LabKitError {
  constructor(message: string, fix: string, details: string[] = []) {
    super(message, fix, ExitCode.stack, details);
  }
}

/** A lab's setup, solution or load step failed. */
export class SetupError extends LabKitError {
  constructor(message: string, fix: string, details: string[] = []) {
    super(message, fix, ExitCode.setup, details);
  }
}

/** The text printed for an error: the message, its details, and the fix. */
export function formatError(error: LabKitError): string {
  const lines = [`✗ ${error.message}`, ...error.details.map((d) => `    ${d}`), `  → ${error.fix}`];
  return lines.join('\n');
}
