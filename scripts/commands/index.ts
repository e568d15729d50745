/**
 * The command table: every user-facing command, what it does, and its handler. The README's command list and
 * the site's CLI reference are generated from `usage` and `summary` here.
 */
import { check } from './check.ts';
import { k6Command } from './k6.ts';
import { doctor } from './doctor.ts';
import { enginesAdopt, enginesInstall, enginesLock, enginesStatus } from './engines.ts';
import { labList, labReset, labSolve, labStart, labStop } from './lab.ts';
import { stackDown, stackLogs, stackStatus, stackUp } from './stack.ts';
import { labAgent } from '../../lifecycle/agent.ts';
import { siteBuild, siteStart } from '../site.ts';

export interface Command {
  name: string;
  usage: string;
  summary: string;
  run(args: string[]): Promise<number>;
  /** Changes or grades the lab: runs under the lab lock (lifecycle/lock.ts), one such command at a time. */
  locked?: true;
}

export const commands: Command[] = [
  { name: 'lab:list', usage: 'npm run lab:list [-- --json]', summary: 'List the labs by module, and which one is started.', run: labList },
  { name: 'lab:start', usage: 'npm run lab:start <n>', summary: 'Start lab n: install the engines it needs, check the machine, start its stack, set it up, start its load, print what to do next.', run: labStart, locked: true },
  { name: 'check', usage: 'npm run check [n] [-- --json | --junit <file> | -v]', summary: 'Grade the started lab (or lab n) from the live telemetry; exit 0 only when every objective passes.', run: check, locked: true },
  { name: 'k6', usage: 'npm run k6 -- <script>', summary: "Run a k6 script against the lab's stack: metrics remote-written to Prometheus, tagged with the lab (testid).", run: k6Command },
  { name: 'lab:stop', usage: 'npm run lab:stop', summary: 'Stop the load and the stack; your files and the data are kept.', run: labStop, locked: true },
  { name: 'lab:solve', usage: 'npm run lab:solve [n] [-- --mistake <id>]', summary: "Apply the lab's reference solution, or one of its realistic mistakes (for instructors and demos).", run: labSolve, locked: true },
  { name: 'lab:reset', usage: 'npm run lab:reset <n> | -- --all [--yes]', summary: 'Back up workspace/, then restore a lab (or everything) to its fresh state.', run: labReset, locked: true },
  { name: 'doctor', usage: 'npm run doctor', summary: 'Check ports, memory, CPU, Docker and engines; each problem with its fix.', run: doctor },
  { name: 'engines:install', usage: 'npm run engines:install [-- <engine…>] [--from-source] [--offline]', summary: "Install every native engine that is missing: your own binary, else the official release (checksum-verified), else a Go build for permissive engines (cached outside the work tree).", run: enginesInstall },
  { name: 'engines:status', usage: 'npm run engines:status [-- --json | --versions]', summary: 'Show each engine: pinned version, the version its binary reports, which way it came in, and its path.', run: enginesStatus },
  { name: 'engines:adopt', usage: 'npm run engines:adopt -- <engine> <binary>', summary: 'Copy a binary of your own (the pinned major.minor) into the engine cache, for every checkout on this machine.', run: enginesAdopt },
  { name: 'engines:lock', usage: 'npm run engines:lock', summary: "Record the SHA-256 of every engine's release assets for every platform in stack/engines.lock.yaml (needs network; review and commit).", run: enginesLock },
  { name: 'stack:up', usage: 'npm run stack:up [-- <service…>]', summary: 'Start the stack (or the named services and what they need) and wait until ready.', run: stackUp },
  { name: 'stack:down', usage: 'npm run stack:down', summary: 'Stop every engine of the stack; data is kept.', run: stackDown },
  { name: 'stack:status', usage: 'npm run stack:status [-- --json]', summary: 'Show each service: ready, starting, stopped or failed, and its URL.', run: stackStatus },
  { name: 'stack:logs', usage: 'npm run stack:logs <service> [-- --lines N]', summary: "Print the last lines of a service's log.", run: stackLogs },
  { name: 'lab:agent', usage: 'npm run lab:agent', summary: 'Run the lab agent in the foreground: the 127.0.0.1 server behind the lab pages\' "Check my work" button (lab:start runs it in the background).', run: labAgent },
  { name: 'site:start', usage: 'npm run site:start [-- --module <m>…]', summary: 'Serve the course site on 127.0.0.1:3030 while you read and edit it; it reloads on changes.', run: siteStart },
  { name: 'site:build', usage: 'npm run site:build [-- --module <m>…]', summary: 'Build the course site into build/: every module, or only the named ones (02, 02-metrics) plus the shared pages.', run: siteBuild },
];
