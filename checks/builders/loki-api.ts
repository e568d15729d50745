/** Objectives on Loki's own state: a rule of the student's is loaded by Loki's ruler and healthy. */
import { lokiClient } from '../clients/loki.ts';
import type { Probe } from '../model.ts';

/** `lokiRule('route:log_errors:rate1m').loaded()`: Loki's ruler has loaded a rule of that name, and it evaluates. */
export function lokiRule(name: string) {
  return {
    loaded(): Probe {
      return {
        source: 'loki',
        query: `GET /prometheus/api/v1/rules (name="${name}")`,
        validate: () => undefined,
        async observe(context) {
          const rules = (await lokiClient(context.endpoints.loki!).rules()).groups.flatMap((g) => g.rules.map((r) => ({ ...r, group: g.name })));
          const found = rules.filter((r) => r.name === name);
          const got = found.length ? found.map((r) => `${r.type} rule in group ${r.group}, health ${r.health}`).join('; ') : `not loaded (${rules.length} rules loaded: ${rules.map((r) => r.name).slice(0, 5).join(', ') || 'none'})`;
          return { pass: found.length > 0 && found.every((r) => r.health !== 'err'), got, expected: `rule ${name} loaded by Loki's ruler and healthy` };
        },
      };
    },
  };
}
