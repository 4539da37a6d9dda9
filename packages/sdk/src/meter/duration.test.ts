import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { formatDuration, parseDuration } from './duration.ts';

describe('parseDuration', () => {
  const valid: ReadonlyArray<readonly [text: string, ms: number]> = [
    ['30s', 30 * 1000],
    ['90m', 90 * 60 * 1000],
    ['12h', 12 * 60 * 60 * 1000],
    ['7d', 7 * 24 * 60 * 60 * 1000],
    ['1w', 7 * 24 * 60 * 60 * 1000],
    ['1h30m', (60 + 30) * 60 * 1000],
    ['1h 30m', (60 + 30) * 60 * 1000],
    ['2d12h', (2 * 24 + 12) * 60 * 60 * 1000],
    ['1m500ms', 60 * 1000 + 500],
    ['  7d\n', 7 * 24 * 60 * 60 * 1000],
    ['0h5m', 5 * 60 * 1000],
  ];

  it.each(valid)('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  const invalid: ReadonlyArray<readonly [text: string, reason: string]> = [
    ['', 'it is empty'],
    ['   ', 'it is empty'],
    ['0s', 'it is zero'],
    ['0h0m', 'it is zero'],
    ['-1h', 'it is negative'],
    ['1.5h', 'it has a fraction (write 1h30m, not 1.5h)'],
    ['1,5h', 'it has a fraction'],
    ['5', 'it has no unit'],
    ['5y', '"y" is not a unit'],
    ['5H', '"H" is not a unit'],
    ['1h5', '"5" has no unit'],
    ['1m30h', 'its units must go from largest to smallest, each at most once'],
    ['1h1h', 'its units must go from largest to smallest, each at most once'],
    ['h', '"h" is not a number followed by a unit'],
    ['99999999999999w', 'it is too long'],
  ];

  it.each(invalid)('refuses %j: %s', (text, reason) => {
    expect(() => parseDuration(text)).toThrow(ValidationError);
    expect(() => parseDuration(text)).toThrow(reason);
  });

  it('names the input and shows examples in the message', () => {
    expect(() => parseDuration('1.5h', '--since')).toThrow(
      'invalid --since:\n  - "1.5h" is not a duration: it has a fraction (write 1h30m, not 1.5h); ' +
        'use whole numbers with a unit (w, d, h, m, s or ms), such as 30s, 90m, 12h, 7d, 1w or 1h30m',
    );
  });
});

describe('formatDuration', () => {
  const cases: ReadonlyArray<readonly [ms: number, text: string]> = [
    [0, '0s'],
    [45 * 1000, '45s'],
    [90 * 60 * 1000, '1h 30m'],
    [7 * 24 * 60 * 60 * 1000, '7d'],
    [(24 + 1) * 60 * 60 * 1000 + 1000, '1d 1h 1s'],
    [60 * 1000 + 500, '1m 500ms'],
    [-45 * 1000, '-45s'],
  ];

  it.each(cases)('writes %d ms as %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('writes what parseDuration reads back', () => {
    for (const ms of [1, 999, 61_001, 3_600_000, 90_061_001]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });
});
