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

export function k6Environment(prometheusUrl: string): Record<string, string> {
  return {
    K6_PROMETHEUS_RW_SERVER_URL: `${prometheusUrl}/api/v1/write`,
    // Flush every second so short runs are visible in Prometheus right away.
    K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s',
    // p(95) and friends as series: k6_http_req_duration_p95 etc.
    K6_PROMETHEUS_RW_TREND_STATS: 'p(95),p(99),avg,max',
    // Offline and private: no usage report, no automatic extension downloads.
    K6_NO_USAGE_REPORT: 'true',
    K6_AUTO_EXTENSION_RESOLUTION: 'false',
  };
}

export function runK6(options: K6RunOptions): Promise<K6RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.k6, ['run', ...(options.live ? [] : ['--quiet']), '--out', 'experimental-prometheus-rw', '--tag', `testid=${options.testid}`, options.script], {
      env: { ...process.env, ...k6Environment(options.prometheusUrl), ...options.scriptEnv },
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
