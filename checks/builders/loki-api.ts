/** Objectives on Loki's own state: a rule of the student's is loaded by Loki's ruler and healthy. */
import type { Probe } from '../model.ts';
import { engines } from './engines.ts';
import { ruleLoaded } from './rules.ts';

/**
 * Loki's ruler re-reads rule files on its own poll (poll_interval 10 s in stack/config/loki/), not when the kit
 * applies the workspace: for this long after a change, what it reports may still be the previous file's rules.
 */
export const lokiRulerPollMs = 11_000;

/** `lokiRule('route:log_errors:rate1m').loaded()`: Loki's ruler has loaded a rule of that name, and it evaluates. */
export function lokiRule(name: string) {
  return { loaded: (): Probe => ruleLoaded('loki', 'GET /prometheus/api/v1/rules', name, async (context) => (await engines.loki(context).rules()).groups, "Loki's ruler", { readsChangesAfterMs: lokiRulerPollMs }) };
}
