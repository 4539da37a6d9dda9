import { BINARY_SUFFIXES, styleForResource } from './format.ts';
import { parseQuantity } from './parse.ts';

// Smallest first, starting with plain bytes, for picking the largest unit a value reaches.
const BINARY_UNITS: ReadonlyArray<readonly [suffix: string, factor: bigint]> = [['', 1n], ...[...BINARY_SUFFIXES].reverse()];

/**
 * A short, rounded rendering for people, such as `1.2` (cores), `500m` or `3Gi`.
 *
 * Keeps at most one decimal, rounding half away from zero. The result is lossy:
 * use it only for display, never feed it back into budget arithmetic.
 */
export function humanQuantity(resourceName: string, milli: bigint): string {
  const sign = milli < 0n ? '-' : '';
  const magnitude = milli < 0n ? -milli : milli;
  if (styleForResource(resourceName) === 'bytes') {
    return sign + humanBytes(roundedDivision(magnitude, 1000n));
  }
  // Below one unit, milli-units are already short and exact.
  if (magnitude < 1000n) {
    return `${sign}${magnitude}m`;
  }
  return sign + tenths(roundedDivision(magnitude, 100n));
}

/**
 * {@link humanQuantity} for a value as stored (`'1536Mi'`, `4`) or as milli-units: `0` for zero in
 * every resource (not `0m`), and the value as it is when it is not a quantity, so that showing a
 * broken spec never fails.
 *
 * @example
 * ```ts
 * humanAmount('requests.memory', '1536Mi'); // '1.5Gi'
 * humanAmount('requests.cpu', 'lots'); // 'lots'
 * ```
 */
export function humanAmount(resourceName: string, value: string | number | bigint | undefined): string {
  let milli: bigint;
  try {
    milli = typeof value === 'bigint' ? value : parseQuantity(value ?? '0');
  } catch {
    return String(value);
  }
  return milli === 0n ? '0' : humanQuantity(resourceName, milli);
}

function humanBytes(bytes: bigint): string {
  let chosen = 0;
  for (let index = 0; index < BINARY_UNITS.length; index += 1) {
    const unit = BINARY_UNITS[index];
    if (unit !== undefined && bytes >= unit[1]) {
      chosen = index;
    }
  }
  const [suffix, factor] = BINARY_UNITS[chosen] ?? ['', 1n];
  if (factor === 1n) {
    return `${bytes}`;
  }
  const shown = roundedDivision(bytes * 10n, factor);
  const next = BINARY_UNITS[chosen + 1];
  // Rounding can reach 1024 of a unit (1023.96Mi); that reads better as the next unit.
  if (shown >= 10240n && next !== undefined) {
    return tenths(roundedDivision(bytes * 10n, next[1])) + next[0];
  }
  return tenths(shown) + suffix;
}

function tenths(value: bigint): string {
  const whole = value / 10n;
  const decimal = value % 10n;
  return decimal === 0n ? `${whole}` : `${whole}.${decimal}`;
}

/** numerator / denominator for non-negative operands, rounding half up. */
function roundedDivision(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}
