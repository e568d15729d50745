/**
 * Ground truth from what a lab's setup drew: the fault a demo service runs with, read from the service's own
 * admin endpoint (GET /admin/faults). The student's tools never pass through it, so an answer about the
 * fault ("the catalogue breaks at 27 requests per second") is graded against the fault itself.
 *
 *   answer('breaking_rate').near(appFault('shop', '/products').capacity(), { relative: 0.1 })
 */
import { requestJson } from '../clients/http.ts';
import type { Truth } from './truth.ts';
import { engineUrl } from './engines.ts';

export function appFault(service: string, route: string) {
  return {
    /** The route's capacity limit in requests per second; undefined while it has none. */
    capacity(): Truth {
      return {
        source: 'app',
        query: `the capacity ${service} serves ${route} with`,
        validate: () => undefined,
        async resolve(context) {
          const faults = await requestJson<Record<string, { capacityRps?: number }>>(service, `${engineUrl(context, service)}/admin/faults`);
          return faults[route]?.capacityRps;
        },
      };
    },
  };
}
