import { describe, expect, it } from 'vitest';
import { UsageError } from '../lib/errors.ts';
import { approximately, parseExpectation } from './expectations.ts';

describe('parseExpectation', () => {
  it.each([
    ['> 0', '>', 0, '> 0'],
    ['>= 3', '>=', 3, '>= 3'],
    ['== 1', '==', 1, '== 1'],
    ['!= 0', '!=', 0, '!= 0'],
    ['< 0.5', '<', 0.5, '< 0.5'],
    ['<= 2', '<=', 2, '<= 2'],
    ['>=3', '>=', 3, '>= 3'],
    ['  <  .25  ', '<', 0.25, '< .25'],
    ['> -1.5', '>', -1.5, '> -1.5'],
    ['< +2', '<', 2, '< 2'],
    ['<= 1e3', '<=', 1000, '<= 1e3'],
    ['> 2.5E-3', '>', 0.0025, '> 2.5E-3'],
    ['== 5.', '==', 5, '== 5.'],
  ])('reads %j as %s %s', (text, op, value, normalised) => {
    const expectation = parseExpectation(text);
    expect(expectation.op).toBe(op);
    expect(expectation.value).toBe(value);
    expect(expectation.text).toBe(normalised);
  });

  it.each(['', '0', '>', '> abc', '=> 3', '>> 3', '> 1 2', '> 1e', '> 0x10', 'more than 3', '> Infinity', '> NaN', '≥ 3', '> 1,5'])(
    'rejects %j with a UsageError naming it',
    (text) => {
      expect(() => parseExpectation(text)).toThrow(UsageError);
      expect(() => parseExpectation(text)).toThrow(`expectation ${JSON.stringify(text)}`);
    },
  );

  it('suggests "==" for a single "="', () => {
    expect(() => parseExpectation('= 1')).toThrow('(equality is written "==")');
  });

  it('rejects a number too large to represent', () => {
    expect(() => parseExpectation('> 1e999')).toThrow('1e999 is out of range');
  });

  describe('boundaries', () => {
    it.each([
      ['> 0', 0, false],
      ['> 0', Number.MIN_VALUE, true],
      ['> 0', -Number.MIN_VALUE, false],
      ['>= 3', 3, true],
      ['>= 3', 2.999, false],
      ['< 0.5', 0.5, false],
      ['< 0.5', 0.4999, true],
      ['<= 2', 2, true],
      ['<= 2', 2.0001, false],
      ['== 1', 1, true],
      ['== 1', 1.001, false],
      ['!= 0', 0, false],
      ['!= 0', -0, false],
      ['!= 0', 1e-300, true],
      ['> -1', -0.5, true],
      ['> 0', Infinity, true],
      ['< 0', -Infinity, true],
      ['== 0', Infinity, false],
    ])('%s with %s is %s', (text, n, pass) => {
      expect(parseExpectation(text).test(n)).toBe(pass);
    });

    it('treats floating-point rounding as equality, consistently across operators', () => {
      const ratio = 0.1 + 0.2; // 0.30000000000000004
      expect(parseExpectation('== 0.3').test(ratio)).toBe(true);
      expect(parseExpectation('<= 0.3').test(ratio)).toBe(true);
      expect(parseExpectation('> 0.3').test(ratio)).toBe(false);
      expect(parseExpectation('!= 0.3').test(ratio)).toBe(false);
      expect(parseExpectation('>= 0.3').test(0.3 - 1e-17)).toBe(true);
      // …but a real difference is still one.
      expect(parseExpectation('== 0.3').test(0.3000001)).toBe(false);
    });
  });

  it.each(['> 0', '>= 3', '== 1', '!= 0', '< 0.5', '<= 2'])('NaN never passes %s', (text) => {
    expect(parseExpectation(text).test(Number.NaN)).toBe(false);
  });
});

describe('approximately', () => {
  it('accepts values within a relative tolerance, boundaries included', () => {
    const near = approximately(200, { relative: 0.05 });
    expect(near.margin).toBe(10);
    expect(near.text).toBe('≈ 200 ± 5%');
    expect(near.test(200)).toBe(true);
    expect(near.test(190)).toBe(true);
    expect(near.test(210)).toBe(true);
    expect(near.test(210.01)).toBe(false);
    expect(near.test(189.99)).toBe(false);
  });

  it('uses the magnitude of a negative expected value', () => {
    const near = approximately(-40, { relative: 0.1 });
    expect(near.test(-44)).toBe(true);
    expect(near.test(-36)).toBe(true);
    expect(near.test(-45)).toBe(false);
    expect(near.test(40)).toBe(false);
  });

  it('accepts values within an absolute tolerance, even when rounding lands just past the boundary', () => {
    const near = approximately(0.3, { absolute: 0.1 });
    expect(near.text).toBe('≈ 0.3 ± 0.1');
    expect(near.test(0.4)).toBe(true);
    expect(near.test(0.2)).toBe(true);
    expect(near.test(0.3 + 0.1)).toBe(true);
    expect(near.test(0.41)).toBe(false);
  });

  it('applies the wider of the two tolerances', () => {
    // At 0 a relative tolerance allows nothing; the absolute one still gives room.
    const atZero = approximately(0, { relative: 0.05, absolute: 0.01 });
    expect(atZero.text).toBe('≈ 0 (± 5% or ± 0.01, whichever is wider)');
    expect(atZero.test(0.01)).toBe(true);
    expect(atZero.test(0.02)).toBe(false);
    const large = approximately(1000, { relative: 0.05, absolute: 1 });
    expect(large.test(1050)).toBe(true);
    expect(large.test(1051)).toBe(false);
  });

  it('with a zero tolerance asks for the same number, up to rounding', () => {
    const exact = approximately(0.3, { absolute: 0 });
    expect(exact.test(0.1 + 0.2)).toBe(true);
    expect(exact.test(0.31)).toBe(false);
  });

  it('never passes NaN, given or expected', () => {
    expect(approximately(1, { relative: 1 }).test(Number.NaN)).toBe(false);
    const noTruth = approximately(Number.NaN, { absolute: 1e9 });
    expect(noTruth.test(0)).toBe(false);
    expect(noTruth.test(Number.NaN)).toBe(false);
  });

  it('matches an infinite expected value only with the same infinity', () => {
    const inf = approximately(Infinity, { relative: 0.1 });
    expect(inf.test(Infinity)).toBe(true);
    expect(inf.test(1e308)).toBe(false);
    expect(inf.test(-Infinity)).toBe(false);
    expect(approximately(5, { absolute: 1 }).test(Infinity)).toBe(false);
  });

  it.each([
    [{}, 'no tolerance given'],
    [{ relative: -0.1 }, 'relative tolerance -0.1 is not a finite number ≥ 0'],
    [{ absolute: Number.NaN }, 'absolute tolerance NaN is not a finite number ≥ 0'],
    [{ absolute: Infinity }, 'absolute tolerance Infinity is not a finite number ≥ 0'],
  ])('rejects the tolerance %j', (tolerance, message) => {
    expect(() => approximately(1, tolerance)).toThrow(UsageError);
    expect(() => approximately(1, tolerance)).toThrow(message);
  });
});
