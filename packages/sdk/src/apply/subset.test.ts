import { describe, expect, it } from 'vitest';
import { isSubset } from './subset.ts';

describe('isSubset', () => {
  it('ignores fields only the live object has', () => {
    expect(isSubset({ a: 1, b: { c: 'x' } }, { a: 1, b: { c: 'x', d: 2 }, status: {} })).toBe(true);
  });

  it('notices a changed, missing or retyped field', () => {
    expect(isSubset({ a: 1 }, { a: 2 })).toBe(false);
    expect(isSubset({ a: 1 }, {})).toBe(false);
    expect(isSubset({ a: { b: 1 } }, { a: [1] })).toBe(false);
    expect(isSubset({ a: '1' }, { a: 1 })).toBe(false);
  });

  it('compares arrays element by element, in order and length', () => {
    expect(isSubset([{ a: 1 }], [{ a: 1, b: 2 }])).toBe(true);
    expect(isSubset([{ a: 1 }], [{ a: 1 }, { a: 2 }])).toBe(false);
    expect(isSubset([1, 2], [2, 1])).toBe(false);
  });

  it('treats undefined desired fields as absent', () => {
    expect(isSubset({ a: undefined, b: 1 }, { b: 1 })).toBe(true);
  });
});
