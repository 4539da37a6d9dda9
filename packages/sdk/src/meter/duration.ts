import { ValidationError } from '../errors.ts';

const UNIT_MS: Readonly<Record<string, number>> = {
  w: 7 * 24 * 3_600_000,
  d: 24 * 3_600_000,
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
};

const UNITS_LARGEST_FIRST = ['w', 'd', 'h', 'm', 's', 'ms'];

const DURATION_EXAMPLES = 'use whole numbers with a unit (w, d, h, m, s or ms), such as 30s, 90m, 12h, 7d, 1w or 1h30m';

/**
 * Reads a duration such as `30s`, `90m`, `12h`, `7d`, `1w` or `1h30m` (also `1h 30m`,
 * as {@link formatDuration} writes it) into milliseconds.
 *
 * Only whole numbers are accepted, so that `1.5h` cannot silently become 1h; write `1h30m`.
 * Units go from largest to smallest, each at most once, which catches typos like `1m30h`.
 *
 * @param what - names the input in the error, e.g. `--since`.
 * @throws {ValidationError} when the text is empty, zero, negative, fractional, too long, or has no or an unknown unit.
 */
export function parseDuration(text: string, what = 'duration'): number {
  const trimmed = text.trim();
  const problem = durationProblem(trimmed);
  if (typeof problem === 'string') {
    throw new ValidationError(what, [{ path: '', message: `${JSON.stringify(text)} is not a duration: ${problem}; ${DURATION_EXAMPLES}` }]);
  }
  return problem.ms;
}

function durationProblem(text: string): string | { ms: number } {
  if (text === '') return 'it is empty';
  if (text.startsWith('-')) return 'it is negative';
  if (/\d[.,]\d/.test(text)) return 'it has a fraction (write 1h30m, not 1.5h)';
  if (/^\d+$/.test(text)) return 'it has no unit';
  let ms = 0;
  let smallestSoFar = -1;
  for (const part of text.split(/\s+/)) {
    const pieces = part.match(/\d+[^\d]+|\d+/g) ?? [];
    if (pieces.join('') !== part) return `${JSON.stringify(part)} is not a number followed by a unit`;
    for (const piece of pieces) {
      const [, digits = '', unit = ''] = /^(\d+)(.*)$/.exec(piece) ?? [];
      const unitMs = UNIT_MS[unit];
      if (unitMs === undefined) {
        return unit === '' ? `${JSON.stringify(piece)} has no unit` : `${JSON.stringify(unit)} is not a unit`;
      }
      const rank = UNITS_LARGEST_FIRST.indexOf(unit);
      if (rank <= smallestSoFar) return 'its units must go from largest to smallest, each at most once';
      smallestSoFar = rank;
      ms += Number(digits) * unitMs;
    }
  }
  if (!Number.isSafeInteger(ms)) return 'it is too long';
  if (ms === 0) return 'it is zero';
  return { ms };
}

const FORMAT_UNITS: ReadonlyArray<readonly [suffix: string, ms: number]> = [
  ['d', 24 * 3_600_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

/**
 * Writes milliseconds for people, exactly and largest unit first, leaving out zero parts:
 * `1h 30m`, `45s`, `7d`, `1m 500ms`; zero is `0s`. {@link parseDuration} reads the result back.
 */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.round(Math.abs(ms));
  const parts: string[] = [];
  for (const [suffix, unitMs] of FORMAT_UNITS) {
    const count = Math.floor(rest / unitMs);
    rest -= count * unitMs;
    if (count > 0) parts.push(`${count}${suffix}`);
  }
  return parts.length === 0 ? '0s' : sign + parts.join(' ');
}
