/**
 * A check run as it goes, folded from its CheckEvents: which objectives are done, and for each still polling
 * what it waits for, what it last saw and how long it has left. The lab agent keeps one for the running check
 * (GET /api/check/progress) so the lab page shows the same waiting lines the terminal prints.
 */
import type { CheckEvent, LabRef, Outcome } from '../model.ts';

export interface ObjectiveProgress {
  id: string;
  title: string;
  points: number;
  state: 'running' | 'waiting' | 'finished';
  outcome?: Outcome;
  /** While waiting: what the objective expects, what its last look got, and the time left before its deadline. */
  waitingFor?: string;
  got?: string;
  remainingMs?: number;
}

export interface CheckProgress {
  lab: LabRef;
  finished: boolean;
  objectives: ObjectiveProgress[];
}

export function foldProgress(progress: CheckProgress | undefined, event: CheckEvent): CheckProgress | undefined {
  const update = (id: string, change: Partial<ObjectiveProgress>): CheckProgress | undefined =>
    progress && { ...progress, objectives: progress.objectives.map((o) => (o.id === id ? { ...o, ...change } : o)) };
  switch (event.kind) {
    case 'run-started':
      return { lab: event.lab, finished: false, objectives: event.objectives.map((o) => ({ ...o, state: 'running' })) };
    case 'objective-started':
      return update(event.id, { state: 'running' });
    case 'objective-retrying':
      return update(event.id, { state: 'waiting', waitingFor: event.observation.expected, got: event.observation.got, remainingMs: event.remainingMs });
    case 'objective-finished':
      return update(event.result.id, { state: 'finished', outcome: event.result.outcome, waitingFor: undefined, got: undefined, remainingMs: undefined });
    case 'run-finished':
      return progress && { ...progress, finished: true };
    default: {
      const unknown: never = event;
      throw new Error(`no progress for event ${JSON.stringify(unknown)}`);
    }
  }
}
