/**
 * Which lab a command is about: the one named (by number or slug) or else the started one, loaded alone; what
 * exists is listed, from the folder names, when none is named or the name matches no lab.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labFolders } from '../labs/catalogue.ts';
import { labFromArgs, requireLab } from './labs.ts';

/** An environment whose state folder holds `session` (or no session). */
function stateWith(session?: object): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'o11y-state-'));
  if (session) writeFileSync(join(dir, 'state.json'), JSON.stringify(session));
  return { O11Y_LAB_STATE: dir };
}

const numbers = labFolders().map((l) => l.number).join(', ');

describe('labFromArgs', () => {
  it('loads the lab named by number or slug', async () => {
    expect((await labFromArgs('4', stateWith())).id).toBe('04-red-recording-rules');
    expect((await labFromArgs('red-recording-rules', stateWith())).number).toBe(4);
  });

  it('loads the started lab when none is named', async () => {
    const env = stateWith({ lab: '04-red-recording-rules', runtime: 'native', startedAt: new Date(0).toISOString() });
    expect((await labFromArgs(undefined, env)).number).toBe(4);
  });

  it('says that no lab is started, listing the labs, when none is named or started', async () => {
    await expect(labFromArgs(undefined, stateWith())).rejects.toThrow(expect.objectContaining({ message: 'no lab is started', exitCode: 2, fix: expect.stringContaining(`Labs: ${numbers}.`) }));
  });

  it('lists the labs for a name that matches none', async () => {
    await expect(labFromArgs('99', stateWith())).rejects.toThrow(expect.objectContaining({ message: 'no lab "99"', exitCode: 2, fix: expect.stringContaining('4 red-recording-rules') }));
  });
});

describe('requireLab', () => {
  it('asks for a lab number, listing the labs', async () => {
    await expect(requireLab(undefined, 'lab:start')).rejects.toThrow(expect.objectContaining({ message: 'lab:start needs a lab number', fix: expect.stringContaining('4 red-recording-rules') }));
  });
});
