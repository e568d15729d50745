/**
 * Runs a helper program an objective needs (promtool, k6) and reports how it ended. Its exit code is data
 * here — a student's file that promtool refuses is a failed objective, not an error — so it never throws
 * for a non-zero exit; only a missing binary is an error.
 */
import { execFile } from 'node:child_process';
import type { CheckContext } from '../model.ts';

const installedWith: Record<string, string> = { promtool: 'it with Prometheus', amtool: 'it with Alertmanager', k6: 'it' };

export interface ToolRun {
  ok: boolean;
  stdout: string;
  stderr: string;
}

export function runTool(context: CheckContext, tool: 'promtool' | 'amtool' | 'k6', args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ToolRun> {
  const binary = context.tools?.[tool];
  if (!binary) throw new Error(`${tool} is not available (npm run engines:install builds ${installedWith[tool]})`);
  return new Promise((resolve) => {
    execFile(binary, args, { cwd: options.cwd, env: options.env ?? process.env, timeout: 60_000 }, (error, stdout, stderr) => resolve({ ok: !error, stdout, stderr }));
  });
}
