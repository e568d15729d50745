/**
 * Ground truth from what a lab's setup injected: the fault knobs of a demo service, read back from its
 * admin endpoint (GET /admin/faults). No student pipeline touches them, and setup draws them per student.
 *
 *   injectedFault('shop', '/checkout').burnRate(0.001)   the error rate setup drew, over an error budget
 */
import type { CheckContext } from '../model.ts';
import { EngineUnreachable } from '../clients/http.ts';
import type { Truth } from './truth.ts';

async function errorRate(context: CheckContext, service: string, route: string): Promise<number | undefined> {
  const url = `${context.endpoints[service]}/admin/faults`;
  const response = await fetch(url, { signal: context.signal }).catch((error: Error) => {
    throw new EngineUnreachable(service, url, error.message);
  });
  const faults = (await response.json()) as Record<string, { errorRate?: number }>;
  const rate = faults[route]?.errorRate;
  return typeof rate === 'number' && rate > 0 ? rate : undefined;
}

export function injectedFault(service: 'shop' | 'inventory', route: string) {
  const query = `GET ${service} /admin/faults (${route})`;
  return {
    /** The share of the route's requests the fault fails (0…1); undefined while none is injected. */
    errorRate(): Truth {
      return { source: 'fault', query: `${query} errorRate`, validate: () => undefined, resolve: (context) => errorRate(context, service, route) };
    },
    /** The error rate over an error budget (1 − SLO): how many times faster than allowed the fault burns it. */
    burnRate(budget: number): Truth {
      return {
        source: 'fault',
        query: `${query} errorRate / ${budget}`,
        validate: () => {
          if (!(budget > 0 && budget < 1)) throw new Error(`burnRate(${budget}): an error budget is between 0 and 1 (1 − SLO)`);
        },
        resolve: async (context) => {
          const rate = await errorRate(context, service, route);
          return rate === undefined ? undefined : rate / budget;
        },
      };
    },
  };
}
