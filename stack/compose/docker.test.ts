/**
 * Docker detection and the docker command runner, against stand-in `docker` programs on PATH (real processes,
 * no Docker engine needed).
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { composeVersionSupported, dockerEngineAnswers, hostRootPropagation, runDocker } from './docker.ts';

const root = mkdtempSync(join(tmpdir(), 'o11y-docker-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A PATH whose only `docker` is this shell script. */
function fakeDocker(name: string, script: string): NodeJS.ProcessEnv {
  const bin = mkdtempSync(join(root, `${name}-bin-`));
  writeFileSync(join(bin, 'docker'), `#!/bin/sh\n${script}\n`);
  chmodSync(join(bin, 'docker'), 0o755);
  return { PATH: `${bin}:/usr/bin:/bin` };
}

describe('dockerEngineAnswers', () => {
  it('is true when `docker info` reports a server version', () => {
    expect(dockerEngineAnswers(fakeDocker('up', 'echo 28.2.2'))).toBe(true);
  });

  it('is false when the client cannot reach an engine', () => {
    expect(dockerEngineAnswers(fakeDocker('down', 'echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock." >&2; exit 1'))).toBe(false);
  });

  it('is false when there is no docker command at all', () => {
    expect(dockerEngineAnswers({ PATH: join(root, 'nowhere') })).toBe(false);
  });
});

describe('runDocker', () => {
  it('returns the exit code and both outputs', async () => {
    const env = fakeDocker('echo', 'echo "args: $*"; echo oops >&2; exit 3');
    expect(await runDocker(['compose', 'ps'], { env })).toEqual({ code: 3, stdout: 'args: compose ps\n', stderr: 'oops\n' });
  });

  it('answers 127 when docker is not installed, instead of throwing', async () => {
    const result = await runDocker(['info'], { env: { PATH: join(root, 'nowhere') } });
    expect(result.code).toBe(127);
    expect(result.stderr).toMatch(/docker/);
  });
});

describe('composeVersionSupported', () => {
  it('accepts Compose v2 and every later major (the plugin went from v2 to v5), as `version --short` prints them', () => {
    for (const short of ['2.20.2', 'v2.40.3', '2.29.7-desktop.1', '5.6.0\n', 'v5.7.1']) expect(composeVersionSupported(short), short).toBe(true);
  });

  it('refuses Compose v1 and anything that is not a version', () => {
    for (const short of ['1.29.2', '', 'dev', 'docker-compose version 1.29.2']) expect(composeVersionSupported(short), short).toBe(false);
  });
});

describe('hostRootPropagation', () => {
  const answering = (stdout: string, code = 0) => async () => ({ code, stdout, stderr: '' });

  it('is rprivate on Docker Desktop, which refuses rslave on /, and rslave on a Docker Engine of its own', async () => {
    expect(await hostRootPropagation(answering('Docker Desktop 4.50.0 (209931)\n'), {}, 'X')).toBe('rprivate');
    expect(await hostRootPropagation(answering('Docker Engine - Community\n'), {}, 'X')).toBe('rslave');
    expect(await hostRootPropagation(answering('', 1), {}, 'X')).toBe('rslave');
  });

  it('keeps what the person set', async () => {
    expect(await hostRootPropagation(answering('Docker Desktop 4.50.0'), { X: 'rshared' }, 'X')).toBe('rshared');
  });
});
