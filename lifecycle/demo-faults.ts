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

/** Sets one demo service's fault knobs (PUT /admin/faults); throws when it does not answer or refuses them. */
export async function putFaults(endpoints: Record<string, string>, service: (typeof demoServices)[number], faults: Record<string, unknown>): Promise<void> {
  const url = `${endpoints[service]}/admin/faults`;
  const response = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults), signal: AbortSignal.timeout(5000) }).catch((error: Error) => {
    throw new EngineUnreachable(service, url, error.message);
  });
  if (!response.ok) throw new SetupError(`${service} refused the fault settings: ${await response.text()}`, 'This is a bug in the lab kit; report it.');
}

/** Every running demo service without faults (one that is not running starts without any). */
export async function clearDemoFaults(endpoints: Record<string, string>): Promise<void> {
  const running = demoServices.filter((service) => endpoints[service]);
  await Promise.all(running.map((service) => putFaults(endpoints, service, {}).catch((error) => (error instanceof EngineUnreachable ? undefined : Promise.reject(error)))));
}
