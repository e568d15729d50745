/**
 * Progress for long steps (engine builds, starts, health waits). One line when a step starts, a "still …"
 * line every `every` ms while it runs, and one line with its duration when it ends. Quiet when `quiet` is set
 * (JSON output, tests).
 */
export interface Progress {
  /** Runs `work`, reporting its start, heartbeat and end under `label`. */
  step<T>(label: string, work: () => Promise<T>): Promise<T>;
  info(line: string): void;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}

export function createProgress(
  options: { quiet?: boolean; every?: number; write?: (line: string) => void } = {},
): Progress {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const every = options.every ?? 15_000;
  const say = (line: string) => {
    if (!options.quiet) write(line);
  };
  return {
    info: say,
    async step(label, work) {
      const started = Date.now();
      say(`… ${label}`);
      const timer = setInterval(() => say(`  still ${label} (${formatDuration(Date.now() - started)})`), every);
      timer.unref();
      try {
        const result = await work();
        say(`✓ ${label} (${formatDuration(Date.now() - started)})`);
        return result;
      } catch (error) {
        say(`✗ ${label} (${formatDuration(Date.now() - started)})`);
        throw error;
      } finally {
        clearInterval(timer);
      }
    },
  };
}

export const silentProgress: Progress = createProgress({ quiet: true });

/** 1536 → "1.5 KB", 41_000_000 → "39.1 MB" (binary multiples, as download tools show them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
