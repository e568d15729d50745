import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../lifecycle/labs.ts';
import { readmeFile, renderReadme } from './readme.ts';

describe('README.md', () => {
  it('lists every command and every lab as their definitions say (run npm run readme to update)', async () => {
    const text = readFileSync(readmeFile, 'utf8');
    expect(text).toBe(renderReadme(text, await catalogue()));
  });

  it('shows the set-up, main and test commands', () => {
    const text = readFileSync(readmeFile, 'utf8');
    for (const command of ['npm install', 'npm run lab:start', 'npm test']) expect(text).toContain(command);
  });
});
