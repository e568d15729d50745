/**
 * Engines from the operating system's packages (PostgreSQL, Redis, InfluxDB): `apt-get install
 * --no-install-recommends` behind a policy-rc.d guard, so no package starts its system service (the kit runs
 * its own instance on its own data directory and port).
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { StackError } from '../../lib/errors.ts';
import type { EngineVersion } from '../versions.ts';
import { run } from './run.ts';

export async function installSystemPackages(engines: EngineVersion[]): Promise<void> {
  const packages = engines.map((e) => e.system!.package);
  if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) {
    throw new StackError(
      `${engines.map((e) => e.name).join(', ')} come from your system's packages (${packages.join(' ')}), and this is not a Debian-like system`,
      'Install them with your package manager (macOS: brew install postgresql@15 redis influxdb@1), or use the Docker Compose stack (STACK_RUNTIME=compose).',
    );
  }
  if (process.getuid?.() !== 0) {
    throw new StackError(
      `missing system packages: ${packages.join(' ')}`,
      `Run: sudo apt-get install --no-install-recommends ${packages.join(' ')} (then npm run engines:install again).`,
    );
  }
  // policy-rc.d exit 101 = "do not start services": the packages' daemons must not grab the default ports.
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) writeFileSync(policy, '#!/bin/sh\n# written by o11y-lab-kit engines:install for the duration of apt-get\nexit 101\n', { mode: 0o755 });
  try {
    const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const known = await run('apt-cache', ['policy', ...packages], { env: aptEnv }).then((out) => !/Candidate: \(none\)/.test(out) && packages.every((p) => out.includes(`${p}:`)));
    if (!known) await run('apt-get', ['update'], { env: aptEnv });
    await run('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env: aptEnv });
  } finally {
    if (ownPolicy) rmSync(policy, { force: true });
  }
}
