/** A trace id as a student writes it: read as a person would, and refused when it cannot be one. */
import { describe, expect, it } from 'vitest';
import { readTraceId } from './answered-trace.ts';

describe('readTraceId', () => {
  it('reads 32 (or Tempo\'s short 16) hexadecimal digits, whatever their case, quotes or spaces', () => {
    expect(readTraceId('4BF92F3577B34DA6A3CE929D0E0E4736')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(readTraceId(' "4bf92f3577b34da6a3ce929d0e0e4736" ')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(readTraceId('a3ce929d0e0e4736')).toBe('a3ce929d0e0e4736');
  });

  it('refuses what is not a trace id: a span id length, a URL, a number YAML read', () => {
    expect(readTraceId('4bf92f3577b34da6a3ce929d0e0e473')).toBeUndefined();
    expect(readTraceId('http://127.0.0.1:3200/api/traces/4bf92f3577b34da6a3ce929d0e0e4736')).toBeUndefined();
    expect(readTraceId(1234)).toBeUndefined();
    expect(readTraceId('not-a-trace-id-not-a-trace-id-00')).toBeUndefined();
  });
});
