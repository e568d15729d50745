/**
 * The command table: every user-facing command, what it does, and its handler. The README's command list and
 * the site's CLI reference are generated from `usage` and `summary` here.
 */

export interface Command {
  name: string;
  usage: string;
  summary: string;
  run(args: string[]): Promise<number>;
  /** Changes or grades the lab: runs under the lab lock (lifecycle/lock.ts), one such command at a time. */
  locked?: true;
}

/**
 * A handler loaded on first use: a command loads only its own code, so `lab:list` does not pay for the engine
 * installer, the site builder or the zx shell (the CLI's start time is most of what a student waits for).
 */
function lazily<M>(load: () => Promise<M>, pick: (module: M) => Command['run']): Command['run'] {
  return async (args) => pick(await load())(args);
}

export const commands: Command[] = [
  { name: 'lab:list', usage: 'npm run lab:list [-- --json]', summary: 'List the labs by module, and which one is started.', run: lazily(() => import('./list.ts'), (m) => m.labList) },
  { name: 'lab:start', usage: 'npm run lab:start <n>', summary: 'Start lab n: install the engines it needs, check the machine, start its stack, set it up, start its load, print what to do next.', run: lazily(() => import('./lab.ts'), (m) => m.labStart), locked: true },
  { name: 'check', usage: 'npm run check [n] [-- --objective <id>] [-- --json | --junit <file> | -v]', summary: 'Grade the started lab (or lab n, or one objective of it) from the live telemetry; exit 0 only when every objective graded passes. Results are kept in .lab/progress.json.', run: lazily(() => import('./check.ts'), (m) => m.check), locked: true },
  { name: 'k6', usage: 'npm run k6 -- <script>', summary: "Run a k6 script against the lab's stack: metrics remote-written to Prometheus, tagged with the lab (testid).", run: lazily(() => import('./k6.ts'), (m) => m.k6Command) },
  { name: 'lab:stop', usage: 'npm run lab:stop', summary: 'Stop the load and the stack; your files and the data are kept.', run: lazily(() => import('./lab.ts'), (m) => m.labStop), locked: true },
  { name: 'lab:solve', usage: 'npm run lab:solve [n] [-- --mistake <id>]', summary: "Apply the lab's reference solution, or one of its realistic mistakes (for instructors and demos).", run: lazily(() => import('./lab.ts'), (m) => m.labSolve), locked: true },
  { name: 'lab:reset', usage: 'npm run lab:reset <n> | -- --all [--yes]', summary: 'Back up workspace/, then restore a lab (or everything) to its fresh state.', run: lazily(() => import('./lab.ts'), (m) => m.labReset), locked: true },
  { name: 'doctor', usage: 'npm run doctor', summary: 'Check ports, memory, CPU, Docker and engines; each problem with its fix.', run: lazily(() => import('./doctor.ts'), (m) => m.doctor) },
  { name: 'engines:install', usage: 'npm run engines:install [-- <engine…>] [--from-source] [--offline]', summary: "Install every native engine that is missing: your own binary, else the official release (checksum-verified), else a Go build for permissive engines (cached outside the work tree).", run: lazily(() => import('./engines.ts'), (m) => m.enginesInstall) },
  { name: 'engines:status', usage: 'npm run engines:status [-- --json | --versions]', summary: 'Show each engine: pinned version, the version its binary reports, which way it came in, and its path.', run: lazily(() => import('./engines.ts'), (m) => m.enginesStatus) },
  { name: 'engines:adopt', usage: 'npm run engines:adopt -- <engine> <binary>', summary: 'Copy a binary of your own (the pinned major.minor) into the engine cache, for every checkout on this machine.', run: lazily(() => import('./engines.ts'), (m) => m.enginesAdopt) },
  { name: 'engines:lock', usage: 'npm run engines:lock', summary: "Record the SHA-256 of every engine's release assets for every platform in stack/engines.lock.yaml (needs network; review and commit).", run: lazily(() => import('./engines.ts'), (m) => m.enginesLock) },
  { name: 'stack:up', usage: 'npm run stack:up [-- <service…>]', summary: 'Start the stack (or the named services and what they need) and wait until ready; before any lab, with the stack tour (live data for the dashboards until the first lab:start).', run: lazily(() => import('./stack.ts'), (m) => m.stackUp) },
  { name: 'stack:down', usage: 'npm run stack:down', summary: 'Stop every engine of the stack, and the background load; data is kept.', run: lazily(() => import('./stack.ts'), (m) => m.stackDown) },
  { name: 'stack:status', usage: 'npm run stack:status [-- --json]', summary: 'Show each service: ready, starting, stopped or failed, and its URL.', run: lazily(() => import('./stack.ts'), (m) => m.stackStatus) },
  { name: 'stack:logs', usage: 'npm run stack:logs <service> [-- --lines N]', summary: "Print the last lines of a service's log.", run: lazily(() => import('./stack.ts'), (m) => m.stackLogs) },
  { name: 'tool', usage: 'npm run tool -- <promtool|amtool|k6> <args…>', summary: 'Run promtool, amtool or k6 from the engine cache (nothing needs to be on your PATH), e.g. npm run tool -- promtool check rules <file>.', run: lazily(() => import('./tool.ts'), (m) => m.toolCommand) },
  { name: 'lab:agent', usage: 'npm run lab:agent', summary: 'Run the lab agent in the foreground: the 127.0.0.1 server behind the lab pages\' "Check my work" button (lab:start runs it in the background).', run: lazily(() => import('../../lifecycle/agent.ts'), (m) => m.labAgent) },
  { name: 'site:start', usage: 'npm run site:start [-- --module <m>…]', summary: 'Serve the course site on 127.0.0.1:3030 while you read and edit it; it reloads on changes.', run: lazily(() => import('../site.ts'), (m) => m.siteStart) },
  { name: 'site:serve', usage: 'npm run site:serve', summary: 'Serve the built course site (build/) on 127.0.0.1:3030, without Node\'s development server.', run: lazily(() => import('../site.ts'), (m) => m.siteServe) },
  { name: 'site:build', usage: 'npm run site:build [-- --module <m>…]', summary: 'Build the course site into build/: every module, or only the named ones (02, 02-metrics) plus the shared pages.', run: lazily(() => import('../site.ts'), (m) => m.siteBuild) },
];
