/**
 * Where the demo services send their OTLP telemetry (stack/apps/export-route.ts): the kit's collector (with their
 * logs too for the stack tour and lab 23), or lab 21's gateway. Every lab start points them back at the collector before its setup runs, so a gateway left on
 * by lab 21 never reaches another lab; lab 21's setup then points them at the student's gateway.
 */
import { EngineUnreachable } from '../checks/clients/http.ts';
import { SetupError } from '../lib/errors.ts';
import type { Via } from '../stack/apps/export-route.ts';

export const demoServices = ['shop', 'inventory'] as const;

/** Points one demo service's telemetry at `via`; throws when it does not answer or refuses. */
export async function routeTelemetry(endpoints: Record<string, string>, service: (typeof demoServices)[number], via: Via): Promise<void> {
  const url = `${endpoints[service]}/admin/telemetry`;
  const response = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ via }), signal: AbortSignal.timeout(5000) }).catch((error: Error) => {
    throw new EngineUnreachable(service, url, error.message);
  });
  if (!response.ok) throw new SetupError(`${service} refused to send its telemetry to the ${via}: ${await response.text()}`, 'This is a bug in the lab kit; report it.');
}

/** Every running demo service back to the kit's collector (one that is not running starts that way anyway). */
export async function resetTelemetryRoutes(endpoints: Record<string, string>): Promise<void> {
  await Promise.all(demoServices.filter((s) => endpoints[s]).map((s) => routeTelemetry(endpoints, s, 'collector').catch((error) => (error instanceof EngineUnreachable ? undefined : Promise.reject(error)))));
}
