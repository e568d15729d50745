/**
 * Runs a k6 script (TypeScript; k6 runs it as is) with its metrics remote-written to Prometheus, tagged with a
 * `testid` so checks can find one run's metrics among others'. Returns k6's exit code and output.
 * k6's exit code 99 means a threshold failed.
 */
import { spawn } from 'node:child_process';

export interface K6RunOptions {
  /** The k6 binary (from the engine cache). */
  k6: string;
  script: string;
  /** Prometheus base URL; metrics go to <url>/api/v1/write. */
  prometheusUrl: string;
  testid: string;
  /** Environment for the script (__ENV). */
  scriptEnv?: Record<string, string>;
  /** Hard stop, in case a script runs longer than it says. */
  timeoutMs?: number;
  /** Show k6's output live (the `npm run k6` command) instead of only collecting it. */
  live?: boolean;
}

export interface K6RunResult {
  exitCode: number | null;
  output: string;
}

/** Keeps k6 offline and private: no usage report, no automatic extension downloads. Every k6 the kit runs gets it. */
export const k6PrivateEnv: Record<string, string> = { K6_NO_USAGE_REPORT: 'true', K6_AUTO_EXTENSION_RESOLUTION: 'false' };

export function k6Environment(prometheusUrl: string): Record<string, string> {
  return {
    K6_PROMETHEUS_RW_SERVER_URL: `${prometheusUrl}/api/v1/write`,
    // Flush every second so short runs are visible in Prometheus right away.
    K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s',
    // p(95) and friends as series: k6_http_req_duration_p95 etc.
    K6_PROMETHEUS_RW_TREND_STATS: 'p(95),p(99),avg,max',
    ...k6PrivateEnv,
  };
}

export interface K6Command {
  script: string;
  prometheusUrl: string;
  testid: string;
  /** Environment for the script (__ENV), on top of the remote-write settings. */
  scriptEnv?: Record<string, string>;
  /** Hide k6's banner and progress bar (background and collected runs). */
  quiet?: boolean;
}

/** The one k6 command line of the kit: `k6 run` with metrics remote-written to Prometheus, tagged testid=<id>. */
export function k6RunCommand(command: K6Command, base: NodeJS.ProcessEnv = process.env): { args: string[]; env: NodeJS.ProcessEnv } {
  return {
    args: ['run', ...(command.quiet ? ['--quiet'] : []), '--out', 'experimental-prometheus-rw', '--tag', `testid=${command.testid}`, command.script],
    env: { ...base, ...k6Environment(command.prometheusUrl), ...command.scriptEnv },
  };
}

export function runK6(options: K6RunOptions): Promise<K6RunResult> {
  return new Promise((resolve, reject) => {
    const { args, env } = k6RunCommand({ ...options, quiet: !options.live });
    const child = spawn(options.k6, args, {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (stream: NodeJS.WriteStream) => (d: Buffer) => {
      output += d.toString();
      if (options.live) stream.write(d);
    };
    child.stdout.on('data', collect(process.stdout));
    child.stderr.on('data', collect(process.stderr));
    const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs ?? 120_000);
    child.once('error', reject);
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, output });
    });
  });
}
