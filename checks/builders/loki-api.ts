/** Objectives on Loki's own state: a rule of the student's is loaded by Loki's ruler and healthy. */
import type { Probe } from '../model.ts';
import { engines } from './engines.ts';
import { ruleLoaded } from './rules.ts';

/** `lokiRule('route:log_errors:rate1m').loaded()`: Loki's ruler has loaded a rule of that name, and it evaluates. */
export function lokiRule(name: string) {
  return { loaded: (): Probe => ruleLoaded('loki', 'GET /prometheus/api/v1/rules', name, async (context) => (await engines.loki(context).rules()).groups, "Loki's ruler") };
}
