import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.ts';

describe('parseArgs', () => {
  it('separates positionals, boolean flags and valued flags', () => {
    const { positionals, flags } = parseArgs(['3', '--json', '--junit', 'out.xml', '--runtime=native', 'x'], ['junit']);
    expect(positionals).toEqual(['3', 'x']);
    expect(flags.get('json')).toBe(true);
    expect(flags.get('junit')).toBe('out.xml');
    expect(flags.get('runtime')).toBe('native');
  });

  it('reads single-letter flags, and keeps negative-looking numbers as positionals', () => {
    const { positionals, flags } = parseArgs(['-v', '4']);
    expect(flags.get('v')).toBe(true);
    expect(positionals).toEqual(['4']);
  });
});
