import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

describe('backoff', () => {
  it('doubles from the first wait up to the largest', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay({ initialMs: 250, maxMs: 1_000 }, n))).toEqual([250, 500, 1000, 1000, 1000]);
  });

  it('stays at the largest wait however many attempts failed', () => {
    expect(backoffDelay({ initialMs: 500, maxMs: 30_000 }, 5_000)).toBe(30_000);
  });
});
