/**
 * `npm run tool`: only the labs' tools, each from the engine cache; anything else is a usage error naming them.
 */
import { describe, expect, it } from 'vitest';
import { toolCommand } from './tool.ts';

describe('npm run tool', () => {
  it('refuses a missing or unknown tool, naming the ones there are', async () => {
    await expect(toolCommand([])).rejects.toThrow('tool needs the name of a tool');
    await expect(toolCommand(['--', 'curl', 'x'])).rejects.toMatchObject({ message: 'no tool "curl"', fix: expect.stringContaining('k6, promtool, amtool') });
  });
});
