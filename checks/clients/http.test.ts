import { describe, expect, it } from 'vitest';
import { EngineError, EngineUnreachable } from './http.ts';

describe('EngineUnreachable.describes', () => {
  it('recognises its own message, and not an engine that answered with an error', () => {
    expect(EngineUnreachable.describes(new EngineUnreachable('Loki', 'http://127.0.0.1:3100/ready', 'connection refused').message)).toBe(true);
    expect(EngineUnreachable.describes(new EngineError('Loki', 'http://127.0.0.1:3100/x', 400, 'parse error').message)).toBe(false);
    expect(EngineUnreachable.describes(undefined)).toBe(false);
  });
});
