import { describe, expect, it } from 'vitest';
import { addQuantities, compareQuantities, subtractQuantities, sumQuantities } from './arithmetic.ts';
import { parseQuantity } from './parse.ts';

describe('quantity arithmetic', () => {
  it('adds tenths of a core exactly, where floats would not', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(addQuantities(parseQuantity('0.1'), parseQuantity('0.2'))).toBe(parseQuantity('0.3'));
  });

  it('mixes suffixes: 512Mi + 512Mi is 1Gi, 1k - 1 is 999', () => {
    expect(addQuantities(parseQuantity('512Mi'), parseQuantity('512Mi'))).toBe(parseQuantity('1Gi'));
    expect(subtractQuantities(parseQuantity('1k'), parseQuantity('1'))).toBe(parseQuantity('999'));
    expect(subtractQuantities(parseQuantity('1'), parseQuantity('1500m'))).toBe(parseQuantity('-500m'));
  });

  it('sums any iterable, and nothing to zero', () => {
    expect(sumQuantities([])).toBe(0n);
    expect(sumQuantities(['250m', '250m', '0.5'].map(parseQuantity))).toBe(parseQuantity('1'));
    expect(sumQuantities(new Set([parseQuantity('1Ki'), parseQuantity('1k')]))).toBe(parseQuantity('2024'));
  });

  it('stays exact beyond the float-safe integer range', () => {
    const big = parseQuantity('9007199254740993m');
    expect(addQuantities(big, 1n)).toBe(9_007_199_254_740_994n);
  });

  it('compares across suffixes', () => {
    expect(compareQuantities(parseQuantity('1Gi'), parseQuantity('1G'))).toBe(1);
    expect(compareQuantities(parseQuantity('1000m'), parseQuantity('1'))).toBe(0);
    expect(compareQuantities(parseQuantity('999Mi'), parseQuantity('1Gi'))).toBe(-1);
    const sorted = ['1Gi', '1G', '1Mi', '1M'].map(parseQuantity).sort(compareQuantities);
    expect(sorted).toEqual(['1M', '1Mi', '1G', '1Gi'].map(parseQuantity));
  });
});
