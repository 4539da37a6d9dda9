import { describe, expect, it } from 'vitest';
import { type ChartBox, stepPoints, timeSpan, yTop } from './chart.ts';

const box: ChartBox = { width: 110, height: 110, left: 10, right: 0, top: 0, bottom: 10 };
const MINUTE = 60_000;

describe('the live chart', () => {
  it('draws a step line: a value holds until the next one, the last until now', () => {
    const history = [
      { at: 0, percent: { cpu: 0 } },
      { at: 5 * MINUTE, percent: { cpu: 50 } },
    ];
    expect(stepPoints(history, 'cpu', 10 * MINUTE, 30 * MINUTE, box)).toBe('10,100 60,100 60,50 110,50');
  });

  it('spans at least a minute, so that a new dashboard does not stretch seconds across the width', () => {
    expect(timeSpan([{ at: 100_000, percent: {} }], 110_000, 30 * MINUTE)).toEqual({ from: 110_000 - MINUTE, to: 110_000 });
    expect(timeSpan([{ at: 0, percent: {} }], 60 * MINUTE, 30 * MINUTE)).toEqual({ from: 30 * MINUTE, to: 60 * MINUTE });
  });

  it('raises the top above 100 % only when something went over', () => {
    expect(yTop([{ at: 0, percent: { cpu: 80 } }])).toBe(100);
    expect(yTop([{ at: 0, percent: { cpu: 120 } }])).toBe(150);
  });
});
