import { describe, expect, it } from 'vitest';
import { EngineError, EngineUnreachable } from './http.ts';

describe('engine errors', () => {
  it('name the engine, the URL and what went wrong', () => {
    expect(new EngineUnreachable('Loki', 'http://127.0.0.1:3100/ready', 'connection refused').message).toBe('Loki is not reachable at http://127.0.0.1:3100/ready (connection refused)');
    expect(new EngineError('Loki', 'http://127.0.0.1:3100/x', 400, 'parse error').message).toBe('Loki answered HTTP 400 for http://127.0.0.1:3100/x: parse error');
  });
});
