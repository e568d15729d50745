/**
 * `npm run doctor`: what could stop the stack from running here, each problem with its fix. Pure checks over
 * facts that are gathered first (so the verdicts are testable): Node version, CPU architecture, memory,
 * Docker engine, installed engines, and the ports the services need.
 */
import { arch, freemem, totalmem } from 'node:os';
import { engineInstalled } from './binaries.ts';
import { dockerEngineAnswers } from './compose/docker.ts';
import { portFree } from './native/process.ts';
import type { ServiceStatus } from './runtime.ts';
import { services } from './services.ts';
import { engineVersion, nativeEngines } from './versions.ts';

export interface Finding {
  level: 'ok' | 'warn' | 'error';
  what: string;
  fix?: string;
}

export interface Facts {
  nodeVersion: string;
  arch: string;
  totalMemBytes: number;
  freeMemBytes: number;
  dockerEngine: boolean;
  missingEngines: string[];
  /** Ports the native services need that something other than our stack holds: "9090 (Prometheus)". */
  takenPorts: string[];
}

const GiB = 1024 ** 3;

export function diagnose(facts: Facts): Finding[] {
  const findings: Finding[] = [];
  const major = Number(facts.nodeVersion.replace(/^v/, '').split('.')[0]);
  findings.push(major >= 20 ? { level: 'ok', what: `Node.js ${facts.nodeVersion}` } : { level: 'error', what: `Node.js ${facts.nodeVersion} is too old`, fix: 'Install Node.js 20 or newer.' });
  findings.push(
    facts.arch === 'x64' || facts.arch === 'arm64'
      ? { level: 'ok', what: `CPU architecture ${facts.arch}` }
      : { level: 'error', what: `CPU architecture ${facts.arch} is not supported`, fix: 'Use an x86-64 or ARM64 machine.' },
  );
  const total = facts.totalMemBytes / GiB;
  findings.push(
    total >= 4
      ? { level: facts.freeMemBytes / GiB >= 2 ? 'ok' : 'warn', what: `memory ${total.toFixed(1)} GiB, ${(facts.freeMemBytes / GiB).toFixed(1)} GiB free`, ...(facts.freeMemBytes / GiB < 2 ? { fix: 'Close other programs: the full stack wants about 2 GiB.' } : {}) }
      : { level: 'error', what: `only ${total.toFixed(1)} GiB of memory`, fix: 'The stack needs at least 4 GiB of memory.' },
  );
  findings.push(
    facts.dockerEngine
      ? { level: 'ok', what: 'Docker engine answers: the compose runtime is available (STACK_RUNTIME=compose)' }
      : { level: 'ok', what: 'no Docker engine: the stack runs natively (engines as host processes)' },
  );
  findings.push(
    facts.missingEngines.length === 0
      ? { level: 'ok', what: 'every native engine is installed' }
      : {
          // Not an error: lab:start installs what its lab needs, and compose needs none of them.
          level: 'warn',
          what: `native engines not installed yet: ${facts.missingEngines.join(', ')}`,
          fix: facts.dockerEngine
            ? 'Nothing to do for the compose stack; for the native one, npm run engines:install (lab:start installs what its lab needs).'
            : 'npm run lab:start installs what its lab needs: it downloads official releases (network needed), or builds permissive engines with Go; or name binaries of your own in stack/engines.local.yaml.',
        },
  );
  findings.push(
    facts.takenPorts.length === 0
      ? { level: 'ok', what: 'every port the stack needs is free or held by the stack itself' }
      : { level: 'error', what: `ports held by another program: ${facts.takenPorts.join(', ')}`, fix: "Stop those programs (`ss -ltnp` shows which), or stop an older lab stack with npm run stack:down." },
  );
  return findings;
}

/** Gathers the facts on this machine. `statuses` tells which services our own stack already runs. */
export async function gatherFacts(statuses: ServiceStatus[]): Promise<Facts> {
  const ours = new Set(statuses.filter((s) => s.state === 'ready' || s.state === 'starting').map((s) => s.name));
  const takenPorts: string[] = [];
  for (const service of services.filter((s) => s.native && !ours.has(s.name))) {
    for (const name of service.ports) {
      const port = engineVersion(service.engine).ports[name]!;
      if (!(await portFree(port))) takenPorts.push(`${port} (${service.title})`);
    }
  }
  return {
    nodeVersion: process.version,
    arch: arch(),
    totalMemBytes: totalmem(),
    freeMemBytes: freemem(),
    dockerEngine: dockerEngineAnswers(),
    missingEngines: nativeEngines().filter((e) => !engineInstalled(e)).map((e) => e.name),
    takenPorts,
  };
}
