/**
 * The command table: every user-facing command, what it does, and its handler. The README's command list and
 * the site's CLI reference are generated from `summary` and `usage` here.
 */
import { enginesInstall, enginesStatus } from './engines.ts';
import { stackDown, stackLogs, stackStatus, stackUp } from './stack.ts';

export interface Command {
  name: string;
  usage: string;
  summary: string;
  run(args: string[]): Promise<number>;
}

export const commands: Command[] = [
  { name: 'engines:install', usage: 'npm run engines:install [-- <engine…>]', summary: 'Install or build every native engine that is missing (cached outside the work tree).', run: enginesInstall },
  { name: 'engines:status', usage: 'npm run engines:status [-- --json]', summary: 'Show each engine: version, where it comes from, its binary, and whether it is there.', run: enginesStatus },
  { name: 'stack:up', usage: 'npm run stack:up [-- <service…>]', summary: 'Start the stack (or the named services and what they need) and wait until ready.', run: stackUp },
  { name: 'stack:down', usage: 'npm run stack:down', summary: 'Stop every engine of the stack; data is kept.', run: stackDown },
  { name: 'stack:status', usage: 'npm run stack:status [-- --json]', summary: 'Show each service: ready, starting, stopped or failed, and its URL.', run: stackStatus },
  { name: 'stack:logs', usage: 'npm run stack:logs <service> [-- --lines N]', summary: "Print the last lines of a service's log.", run: stackLogs },
];
