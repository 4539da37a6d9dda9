import { describe, expect, it } from 'vitest';
import { clipSpans, mergeSpans, spanLength, uncoveredSpans } from './spans.ts';

describe('spans', () => {
  it('merges overlapping and touching spans and drops empty ones', () => {
    expect(
      mergeSpans([
        { from: 50, to: 60 },
        { from: 0, to: 10 },
        { from: 10, to: 20 },
        { from: 15, to: 18 },
        { from: 30, to: 30 },
      ]),
    ).toEqual([
      { from: 0, to: 20 },
      { from: 50, to: 60 },
    ]);
  });

  it('clips spans to a window', () => {
    expect(
      clipSpans(
        [
          { from: 0, to: 10 },
          { from: 20, to: 30 },
          { from: 40, to: 50 },
        ],
        { from: 5, to: 25 },
      ),
    ).toEqual([
      { from: 5, to: 10 },
      { from: 20, to: 25 },
    ]);
  });

  it('finds the uncovered parts of a window, at both ends and between', () => {
    expect(
      uncoveredSpans(
        [
          { from: 10, to: 20 },
          { from: 30, to: 40 },
        ],
        { from: 0, to: 50 },
      ),
    ).toEqual([
      { from: 0, to: 10 },
      { from: 20, to: 30 },
      { from: 40, to: 50 },
    ]);
    expect(uncoveredSpans([{ from: 0, to: 50 }], { from: 10, to: 20 })).toEqual([]);
  });

  it('measures overlapping spans once', () => {
    // [0, 10) ∪ [5, 20) = [0, 20): 20; plus [30, 35): 5.
    expect(
      spanLength([
        { from: 0, to: 10 },
        { from: 5, to: 20 },
        { from: 30, to: 35 },
      ]),
    ).toBe(25);
  });
});
