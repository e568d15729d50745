/** Short, readable renderings of query results for evidence lines. */

export function formatLabels(labels: Record<string, string>): string {
  const inner = Object.entries(labels)
    .filter(([name]) => name !== '__name__')
    .map(([name, value]) => `${name}="${value}"`)
    .join(', ');
  return `${labels.__name__ ?? ''}{${inner}}`;
}

export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 0.01 ? value.toFixed(3).replace(/0+$/, '').replace(/\.$/, '') : value.toPrecision(3);
}

/** A series as objectives see it: labels and one value. */
export interface Series {
  labels: Record<string, string>;
  value: number;
}

/** "no series" / "1 series: {route="/cart"} 0.42" / "3 series: …, … (+1 more)". */
export function formatSeries(series: Series[], max = 3): string {
  if (series.length === 0) return 'no series';
  const shown = series.slice(0, max).map((s) => `${formatLabels(s.labels)} ${formatNumber(s.value)}`);
  const more = series.length > max ? ` (+${series.length - max} more)` : '';
  return `${series.length} series: ${shown.join('; ')}${more}`;
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A moment as a clock time the student can match with their terminal: "14:03:27". */
export function formatClock(ms: number): string {
  return new Date(ms).toTimeString().slice(0, 8);
}
