/**
 * Runs a helper program an objective needs (promtool, k6) and reports how it ended. Its exit code is data
 * here — a student's file that promtool refuses is a failed objective, not an error — so it never throws
 * for a non-zero exit; only a missing binary is an error.
 *
 * A run that depends on nothing but the files it reads (`reads`: promtool checking a rule file, amtool testing a
 * route) is remembered in `context.toolRuns`, keyed by the binary and the bytes of those files: checking an
 * unchanged file again gives the same verdict without starting the program again, which was a good part of
 * every `npm run check` of a lab that has one (promtool alone takes ~25 ms, and the objectives after it wait).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckContext } from '../model.ts';

const installedWith: Record<string, string> = { promtool: 'it with Prometheus', amtool: 'it with Alertmanager', k6: 'it' };

export interface ToolRun {
  ok: boolean;
  stdout: string;
  stderr: string;
}

export interface ToolOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Every file the run depends on, when it depends on nothing else: its outcome is then remembered. */
  reads?: string[];
}

export async function runTool(context: CheckContext, tool: 'promtool' | 'amtool' | 'k6', args: string[], options: ToolOptions = {}): Promise<ToolRun> {
  const binary = context.tools?.[tool];
  if (!binary) throw new Error(`${tool} is not available (npm run engines:install builds ${installedWith[tool]})`);
  const remembered = options.reads && context.toolRuns ? rememberedRun(context.toolRuns, binary, args, options) : undefined;
  const known = remembered?.read();
  if (known) return known;
  const run = await new Promise<ToolRun>((resolve) => {
    execFile(binary, args, { cwd: options.cwd, env: options.env ?? process.env, timeout: 60_000 }, (error, stdout, stderr) => resolve({ ok: !error, stdout, stderr }));
  });
  remembered?.write(run);
  return run;
}

/** The record of one run (the binary and its arguments) in `dir`, valid while the binary and the files read are unchanged. */
function rememberedRun(dir: string, binary: string, args: string[], options: ToolOptions) {
  const sha = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
  const record = join(dir, `${sha(JSON.stringify([binary, args, options.cwd ?? '']))}.json`);
  const key = (): string | undefined => {
    try {
      const { size, mtimeMs } = statSync(binary);
      return sha([`${binary} ${size} ${mtimeMs}`, ...options.reads!.map((file) => sha(readFileSync(file)))].join('\n'));
    } catch {
      return undefined; // a file that cannot be read: run the tool, which says why
    }
  };
  const current = key();
  return {
    read(): ToolRun | undefined {
      if (!current) return undefined;
      try {
        const last = JSON.parse(readFileSync(record, 'utf8')) as { key: string; run: ToolRun };
        return last.key === current ? last.run : undefined;
      } catch {
        return undefined;
      }
    },
    write(run: ToolRun): void {
      if (!current) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(record, `${JSON.stringify({ key: current, run })}\n`);
    },
  };
}
