/**
 * Runs a lab's objectives against the live engines. All run in parallel; each is polled until it passes or
 * its deadline passes (telemetry arrives late: scrape interval, ingester flush), with no fixed sleeps. An
 * objective whose `needs` did not pass is skipped. An engine that does not answer ends its objective at once
 * with `error` (retrying would only delay the message), and so does an observation that says waiting cannot
 * change it (`settled`). Progress goes out as CheckEvents; each result carries its cause as data.
 */
import { EngineError, EngineUnreachable } from './clients/http.ts';
import type { CheckContext, CheckEvent, CheckReport, LabRef, Objective, ObjectiveResult, Observation, Outcome } from './model.ts';

export const defaultDeadlineMs = 20_000;

export interface RunOptions {
  emit?: (event: CheckEvent) => void;
  /** Multiplies every objective's deadline (1 = as defined). */
  deadlineScale?: number;
  /** Injected for tests of the runner itself. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runObjectives(lab: LabRef, objectives: Objective[], context: CheckContext, options: RunOptions = {}): Promise<CheckReport> {
  const emit = options.emit ?? (() => undefined);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const startedAt = new Date(now());
  emit({ kind: 'run-started', lab, objectives: objectives.map(({ id, title, points }) => ({ id, title, points })) });

  const results = new Map<string, Promise<ObjectiveResult>>();
  const runOne = async (objective: Objective): Promise<ObjectiveResult> => {
    const started = now();
    const finish = (outcome: Outcome, attempts: number, extra: Partial<ObjectiveResult> = {}): ObjectiveResult => {
      const result: ObjectiveResult = {
        id: objective.id,
        title: objective.title,
        outcome,
        points: objective.points,
        score: outcome === 'pass' ? objective.points : 0,
        ...(outcome === 'pass' ? {} : { hint: objective.hint }),
        attempts,
        durationMs: now() - started,
        ...extra,
      };
      emit({ kind: 'objective-finished', result });
      return result;
    };

    // Dependencies first: wait for them, skip if any did not pass.
    for (const need of objective.needs ?? []) {
      const dependency = await results.get(need);
      if (dependency?.outcome !== 'pass') return finish('skipped', 0, { cause: 'needs', message: `skipped: needs "${dependency?.title ?? need}" to pass first` });
    }

    emit({ kind: 'objective-started', id: objective.id });
    const refusal = context.refused?.[objective.check.source];
    if (refusal) {
      return finish('fail', 0, { cause: 'settled', evidence: { source: objective.check.source, query: objective.check.query, got: refusal, expected: 'the engine running your current files' } });
    }
    const deadline = now() + (objective.deadlineMs ?? defaultDeadlineMs) * (options.deadlineScale ?? 1);
    const evidence = (observation: Observation) => ({ source: objective.check.source, query: objective.check.query, got: observation.got, expected: observation.expected });
    let interval = 500;
    let attempts = 0;
    let last: Observation | undefined;
    let lastError: unknown;
    for (;;) {
      attempts += 1;
      try {
        last = await objective.check.observe(context);
        lastError = undefined;
        if (last.pass) return finish('pass', attempts, { evidence: evidence(last) });
        if (last.settled) return finish('fail', attempts, { cause: 'settled', evidence: evidence(last) });
      } catch (error) {
        if (error instanceof EngineUnreachable) return finish('error', attempts, { cause: 'engine-unreachable', message: error.message });
        lastError = error;
      }
      if (now() + interval > deadline) break;
      if (last) emit({ kind: 'objective-retrying', id: objective.id, attempt: attempts, observation: last, remainingMs: Math.max(0, deadline - now()) });
      await sleep(interval);
      interval = Math.min(interval * 1.5, 3000);
    }
    if (lastError) {
      const message = lastError instanceof EngineError ? lastError.message : lastError instanceof Error ? lastError.message : String(lastError);
      return finish('error', attempts, { cause: 'engine-error', message, ...(last ? { evidence: evidence(last) } : {}) });
    }
    return finish('fail', attempts, { cause: 'deadline', evidence: evidence(last!) });
  };

  // Register every objective before any runs, so `needs` can find its dependency's promise.
  for (const objective of objectives) {
    let resolve!: (result: ObjectiveResult) => void;
    results.set(objective.id, new Promise((r) => (resolve = r)));
    queueMicrotask(() => void runOne(objective).then(resolve));
  }
  const finished = await Promise.all(objectives.map((o) => results.get(o.id)!));

  const counts: Record<Outcome, number> = { pass: 0, fail: 0, error: 0, skipped: 0 };
  for (const result of finished) counts[result.outcome] += 1;
  const report: CheckReport = {
    schemaVersion: 1,
    lab,
    startedAt: startedAt.toISOString(),
    durationMs: now() - startedAt.getTime(),
    score: finished.reduce((sum, r) => sum + r.score, 0),
    maxScore: finished.reduce((sum, r) => sum + r.points, 0),
    passed: counts.pass === finished.length,
    counts,
    objectives: finished,
  };
  emit({ kind: 'run-finished', report });
  return report;
}
