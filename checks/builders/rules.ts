/**
 * "A rule of this name is loaded and healthy", for any ruler that serves Prometheus's rules API shape:
 * Prometheus itself (/api/v1/rules) and Loki's ruler (/prometheus/api/v1/rules).
 */
import type { CheckContext, Probe, Source } from '../model.ts';
import { formatClock } from './format.ts';

export interface RuleGroup {
  name: string;
  file?: string;
  rules: { name: string; type: string; health: string }[];
}

/**
 * `absentIsSettled`: the ruler loads rule files synchronously on reload (Prometheus), so a rule that is not
 * loaded fails at once; Loki's ruler syncs rule files on its own schedule, so there absence is waited out.
 */
export function ruleLoaded(source: Source, query: string, name: string, groups: (context: CheckContext) => Promise<RuleGroup[]>, ruler: string, options: { absentIsSettled?: boolean; readsChangesAfterMs?: number } = {}): Probe {
  return {
    source,
    query: `${query} (name="${name}")`,
    validate: () => undefined,
    async observe(context) {
      const readAt = (context.appliedAt ?? 0) + (options.readsChangesAfterMs ?? 0);
      if (Date.now() < readAt) return { pass: false, got: `waiting for ${ruler} to read your latest rule file (by ${formatClock(readAt)})`, expected: `rule ${name} loaded by ${ruler} and healthy` };
      const rules = (await groups(context)).flatMap((g) => g.rules.map((r) => ({ ...r, where: g.file ? `${g.file.replace(context.workspace, 'workspace')}` : `group ${g.name}` })));
      const found = rules.filter((r) => r.name === name);
      const got = found.length
        ? found.map((r) => `${r.type} rule in ${r.where}, health ${r.health}`).join('; ')
        : `not loaded (${rules.length} rules loaded: ${rules.map((r) => r.name).slice(0, 5).join(', ') || 'none'})`;
      return { pass: found.length > 0 && found.every((r) => r.health !== 'err'), got, expected: `rule ${name} loaded by ${ruler} and healthy`, settled: found.length === 0 && options.absentIsSettled };
    },
  };
}
