/**
 * The demo services' injected faults belong to the lab that drew them. A lab that sets only the shop's would
 * otherwise inherit the inventory's from the lab before it (lab 10's slow /reserve, lab 9's failing one, lab 23's
 * incident), and its truths — drawn from its own faults — would no longer describe the data: a false fail. So a
 * lab started after another one starts on healthy services; the same lab started again keeps its faults, which
 * is how a setup keeps its draw (labs 3, 10, 23, 24 read it back).
 */
import { EngineUnreachable } from '../checks/clients/http.ts';
import { SetupError } from '../lib/errors.ts';
import { demoServices } from './telemetry-route.ts';

/** Every running demo service without faults (one that is not running starts without any). */
export async function clearDemoFaults(endpoints: Record<string, string>): Promise<void> {
  await Promise.all(
    demoServices
      .filter((service) => endpoints[service])
      .map(async (service) => {
        const url = `${endpoints[service]}/admin/faults`;
        const response = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}', signal: AbortSignal.timeout(5000) }).catch((error: Error) => {
          throw new EngineUnreachable(service, url, error.message);
        });
        if (!response.ok) throw new SetupError(`${service} refused to clear its faults: ${await response.text()}`, 'This is a bug in the lab kit; report it.');
      })
      .map((cleared) => cleared.catch((error) => (error instanceof EngineUnreachable ? undefined : Promise.reject(error)))),
  );
}
