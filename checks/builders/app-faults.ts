/**
 * Ground truth from what the lab's setup drew: the fault settings a demo service runs with (GET
 * /admin/faults), read from the service itself at check time. Nothing the student scrapes, relabels or
 * queries changes them, and they are drawn per student, so an answer copied from a neighbour does not match.
 *
 *   appFaults('shop').truth('the route with the slow tail', (faults) => …)
 *   appFaults('shop', 'inventory').truth('where the incident is', (shop, inventory) => …)
 *   appFault('shop', '/checkout').burnRate(0.001)     the error rate setup drew, over an error budget
 *   appFault('shop', '/products').capacity()          the requests per second the route serves before it sheds
 */
import { requestJson } from '../clients/http.ts';
import type { CheckContext } from '../model.ts';
import { engineUrl } from './engines.ts';
import type { Truth } from './truth.ts';

/** One route's fault, as the demo services report it (stack/apps/faults.ts). */
export interface RouteFault {
  latencyMs: number;
  errorRate: number;
  latencyShare?: number;
  capacityRps?: number;
}

export type ServiceFaults = Record<string, RouteFault>;

export async function readFaults(context: CheckContext, service: string): Promise<ServiceFaults> {
  // Through the engines' HTTP helper: a service that is down is "unreachable" (an error), never a fail.
  return requestJson<ServiceFaults>(service, `${engineUrl(context, service)}/admin/faults`);
}

/**
 * Truth from one service's faults, or from several read together (an incident drawn into either of two services:
 * `appFaults('shop', 'inventory').truth(what, (shop, inventory) => …)`).
 */
export function appFaults(...services: [string, ...string[]]) {
  return {
    /** Truth computed from the services' faults, one argument each, in order; `what` says in words what it is (shown instead of the value). */
    truth(what: string, compute: (...faults: ServiceFaults[]) => string | number | undefined): Truth {
      return {
        source: 'app',
        query: `${what}, from ${services.join(' and ')}'s drawn faults`,
        validate: () => undefined,
        resolve: async (context) => compute(...(await Promise.all(services.map((service) => readFaults(context, service))))),
      };
    },
  };
}

/** One route's fault. */
export function appFault(service: string, route: string) {
  const query = `GET ${service} /admin/faults (${route})`;
  const errorRate = async (context: CheckContext) => {
    const rate = (await readFaults(context, service))[route]?.errorRate;
    return typeof rate === 'number' && rate > 0 ? rate : undefined;
  };
  return {
    /** The share of the route's requests the fault fails (0…1); undefined while none is injected. */
    errorRate(): Truth {
      return { source: 'app', query: `${query} errorRate`, validate: () => undefined, resolve: errorRate };
    },
    /** The route's capacity limit in requests per second; undefined while it has none. */
    capacity(): Truth {
      return {
        source: 'app',
        query: `${query} capacityRps`,
        validate: () => undefined,
        resolve: async (context) => (await readFaults(context, service))[route]?.capacityRps,
      };
    },
    /** The error rate over an error budget (1 − SLO): how many times faster than allowed the fault burns it. */
    burnRate(budget: number): Truth {
      return {
        source: 'app',
        query: `${query} errorRate / ${budget}`,
        validate: () => {
          if (!(budget > 0 && budget < 1)) throw new Error(`burnRate(${budget}): an error budget is between 0 and 1 (1 − SLO)`);
        },
        resolve: async (context) => {
          const rate = await errorRate(context);
          return rate === undefined ? undefined : rate / budget;
        },
      };
    },
  };
}
