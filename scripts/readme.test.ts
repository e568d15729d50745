import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readmeFile, renderReadme } from './readme.ts';

describe('README.md', () => {
  it('lists every command as the command table defines it (run npm run readme to update)', () => {
    const text = readFileSync(readmeFile, 'utf8');
    expect(text).toBe(renderReadme(text));
  });

  it('shows the set-up, main and test commands', () => {
    const text = readFileSync(readmeFile, 'utf8');
    for (const command of ['npm install', 'npm run lab:start', 'npm test']) expect(text).toContain(command);
  });
});
