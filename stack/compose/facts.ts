/**
 * What the compose stack knows about one service, gathered in one place before anything is rendered: its
 * definition (stack/services.ts), its engine's image and ports (stack/versions.yaml), what only its container
 * needs (stack/compose/overrides.ts), the values its templates get inside the container, and the templates
 * themselves, each read once. stack/compose/build.ts turns these objects into compose.yaml and the rendered
 * configs without looking anything up again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../lib/paths.ts';
import { isVerbatim, type RenderValues } from '../render.ts';
import type { ServiceDefinition } from '../services.ts';
import { engineVersion } from '../versions.ts';
import { healthcheckFor, type ComposeHealthcheck } from './healthcheck.ts';
import { composeServices, composeValues, overrideOf } from './model.ts';
import { probeSidecar, type ComposeOverride } from './overrides.ts';

/** One template under stack/config/<service>/, as read from disk. */

/** Our own images: built from the repository (context relative to stack/, dockerfile relative to the context). */
export interface ImageBuild {
  context: string;
  dockerfile: string;
  args: Record<string, string>;
}

export interface TemplateFile {
  /** The path `configs` lists, relative to the service's config directory. */
  file: string;
  text: string;
  /** Copied as it is, not rendered (stack/render.ts isVerbatim). */
  verbatim: boolean;
}

export interface ServiceFacts {
  service: ServiceDefinition;
  override: ComposeOverride;
  /** The render values of its templates inside its container (stack/compose/model.ts composeValues). */
  values: RenderValues;
  templates: TemplateFile[];
  /** Which shared directories its configs, arguments or environment refer to: each one is a mount. */
  uses: { data: boolean; workspace: boolean; logs: boolean };
  image: string;
  /** For our own images (overrides.ts `build`): how compose builds it. */
  build?: ImageBuild;
  /** The host ports it publishes: the ports it binds, under their versions.yaml numbers. */
  ports: number[];
  /** What starts first: its own needs, then the ones only containers have. */
  needs: string[];
  /** What it calls once running: started with it, not waited for (stack/services.ts `calls`). */
  calls: string[];
  /** Its readiness probe as a compose healthcheck; undefined when the image cannot run one. */
  healthcheck?: ComposeHealthcheck;
  /** For images that cannot probe themselves (httpClient 'sidecar'): the sidecar that probes it over the network. */
  sidecar?: { name: string; image: string; healthcheck: ComposeHealthcheck };
  /** The service whose build makes the image this one runs (overrides.ts runsImageOf). */
  runsImageOf?: string;
}

/** Reads a template of stack/config/<service>/; tests pass their own to see what is read. */
export type ReadTemplate = (service: string, file: string) => string;

const readTemplateFile: ReadTemplate = (service, file) => readFileSync(join(repoRoot, 'stack', 'config', service, file), 'utf8');

/** A literal dollar in compose.yaml is written twice; single ones are compose's own ${VAR} interpolation. */
export const literal = (value: string) => value.replaceAll('$', '$$$$');

/** Every compose service's facts, in start order (as composeServices lists them). */
export function composeFacts(readTemplate: ReadTemplate = readTemplateFile): ServiceFacts[] {
  return composeServices().map((service) => serviceFacts(service, readTemplate));
}

export function serviceFacts(service: ServiceDefinition, readTemplate: ReadTemplate = readTemplateFile): ServiceFacts {
  const override = overrideOf(service.name);
  const templates = service.configs.map((file) => ({ file, text: readTemplate(service.name, file), verbatim: isVerbatim(file) }));
  // The texts a placeholder may stand in: rendered templates (not verbatim ones), arguments and environment.
  const texts = [
    ...templates.filter((t) => !t.verbatim).map((t) => t.text),
    ...Object.values(override.extraConfigs ?? {}),
    ...service.args,
    ...Object.values(service.env ?? {}),
    ...Object.values(override.environment ?? {}),
  ];
  const uses = (key: string) => {
    const pattern = new RegExp(`\\{\\{\\s*${key.replace('.', '\\.')}\\s*\\}\\}`);
    return texts.some((text) => pattern.test(text));
  };
  return {
    service,
    override,
    values: composeValues(service.name),
    templates,
    uses: { data: uses('dir.data'), workspace: uses('dir.workspace'), logs: uses('dir.logs') },
    image: imageOf(service, override),
    ...(override.build ? { build: buildOf(service, override.build) } : {}),
    ...(override.runsImageOf ? { runsImageOf: override.runsImageOf } : {}),
    ports: publishedPorts(service),
    // A service in another's network (networkOf) can start only once that one runs.
    needs: [...new Set([...service.needs, ...(override.needs ?? []), ...(override.networkOf ? [override.networkOf] : [])])],
    calls: service.calls ?? [],
    ...withHealthcheck(service, override),
  };
}

/**
 * The image a service runs: the one pinned in versions.yaml, or for our own builds (overrides.ts `build`) the
 * image name tagged with the engine's version in versions.yaml, built from that pinned image.
 */
export function imageOf(service: ServiceDefinition, override: ComposeOverride = overrideOf(service.name)): string {
  const engine = engineVersion(service.engine);
  if (override.runsImageOf) {
    const builder = composeServices().find((s) => s.name === override.runsImageOf);
    const build = builder && overrideOf(builder.name).build;
    if (!builder || !build) throw new Error(`stack/compose/overrides.ts: ${service.name} runs the image of "${override.runsImageOf}", which builds none`);
    return imageOf(builder);
  }
  if (override.build) return `${override.build.image}:${engine.version}`;
  return engine.image ?? missingImage(service.engine);
}

/** The build section of our own images: the repository root as context (stack/.. from compose.yaml). */
function buildOf(service: ServiceDefinition, build: NonNullable<ComposeOverride['build']>): ImageBuild {
  return { context: '..', dockerfile: build.dockerfile, args: { BASE_IMAGE: engineVersion(service.engine).image ?? missingImage(service.engine) } };
}

/** The ports the service binds (services.ts), by their numbers in versions.yaml. */
function publishedPorts(service: ServiceDefinition): number[] {
  const ports = engineVersion(service.engine).ports;
  return service.ports.map((name) => ports[name] ?? missingPort(service, name));
}

/**
 * `{ healthcheck }` when the image can run the probe, `{ sidecar }` when a probe sidecar runs it, `{}` otherwise
 * (so the keys are absent, not undefined).
 */
function withHealthcheck(service: ServiceDefinition, override: ComposeOverride): Pick<ServiceFacts, 'healthcheck' | 'sidecar'> {
  const port = engineVersion(service.engine).ports[service.ready.port];
  if (port === undefined) throw new Error(`${service.name}: ready.port "${service.ready.port}" is not in stack/versions.yaml`);
  const escaped = (check: ComposeHealthcheck): ComposeHealthcheck => ({ ...check, test: check.test.map(literal) });
  if (override.httpClient === 'sidecar') {
    // The sidecar reaches the service by its name, on the container port (not the published one).
    const check = healthcheckFor(service.ready, port, probeSidecar.httpClient, service.startTimeoutMs, service.name);
    if (!check) throw new Error(`${service.name}: a probe sidecar runs only http probes, not "${service.ready.kind}"`);
    const image = engineVersion(probeSidecar.engine).image ?? missingImage(probeSidecar.engine);
    return { sidecar: { name: probeSidecar.nameOf(service.name), image, healthcheck: escaped(check) } };
  }
  const check = healthcheckFor(service.ready, port, override.httpClient, service.startTimeoutMs);
  return check ? { healthcheck: escaped(check) } : {};
}

export function missingImage(engine: string): never {
  throw new Error(`stack/versions.yaml: engines.${engine}.image is missing; the compose stack needs a pinned image`);
}

function missingPort(service: ServiceDefinition, name: string): never {
  throw new Error(`${service.name}: port "${name}" is not in stack/versions.yaml engines.${service.engine}.ports`);
}
