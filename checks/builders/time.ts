/** Durations in the form queries use ("30s", "15m", "2h"), for the windows LogQL and TraceQL searches cover. */
import { UsageError } from '../../lib/errors.ts';

const units: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(text: string): number {
  const match = /^(\d+)(s|m|h)$/.exec(text.trim());
  if (!match) throw new UsageError(`"${text}" is not a duration`, 'Write durations like 30s, 15m or 2h.');
  return Number(match[1]) * units[match[2]!]!;
}

export function windowEndingNow(duration: string): { start: Date; end: Date } {
  const end = new Date(Date.now() + 5_000); // a little ahead: spans and lines may carry a slightly later clock
  return { start: new Date(end.getTime() - parseDuration(duration)), end };
}
