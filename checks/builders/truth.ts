/**
 * Ground truth: a value computed from live telemetry at check time (the route with the most errors, the
 * current p95…). Answer objectives compare the student's answer with it, so an answer copied from a
 * neighbour, whose data differs, does not pass.
 */
import type { CheckContext, Source } from '../model.ts';

export interface Truth {
  source: Source;
  query: string;
  validate(): void;
  /** The value, or undefined when the data does not (yet) give one. */
  resolve(context: CheckContext): Promise<string | number | undefined>;
}
