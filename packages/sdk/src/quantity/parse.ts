import { QUANTITY_EXAMPLES, QuantityError, showInput } from './errors.ts';

/**
 * Largest magnitude Spacekit accepts, in milli-units.
 *
 * Kubernetes reads quantities into int64 (`MilliValue()`), so anything beyond
 * would silently wrap or saturate on the apiserver; rejecting it here keeps
 * Spacekit's arithmetic and the cluster's in agreement.
 */
export const MAX_MILLI = 2n ** 63n - 1n;

// Mirrors the grammar in k8s.io/apimachinery/pkg/api/resource/quantity.go.
// `E` alone is the exa suffix, `E3` an exponent: the regex backtracks into the exponent branch.
const QUANTITY_PATTERN = /^([+-]?)(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:([KMGTPE])i|([numkMGTPE])|[eE]([+-]?\d+))?$/;

const DECIMAL_SUFFIX_POWER: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

const BINARY_SUFFIX_POWER: Readonly<Record<string, number>> = {
  K: 10,
  M: 20,
  G: 30,
  T: 40,
  P: 50,
  E: 60,
};

// Beyond this many exponent digits Go's strconv.ParseInt fails, so Kubernetes rejects the value too.
const MAX_EXPONENT_DIGITS = 18;

/**
 * Parses a Kubernetes quantity into an exact count of milli-units.
 *
 * `cpu: 1` is `1000n`, `500m` is `500n`, `1Gi` is `1073741824000n`.
 * Accepts the full Kubernetes grammar: an optional sign, a decimal number
 * (`1.5`, `.5`, `5.`), and one of the binary suffixes `Ki`…`Ei`, the decimal
 * suffixes `n u m k M G T P E`, or a decimal exponent (`e3`, `E-2`).
 *
 * Precision finer than a milli-unit (`1n`, `1u`) is rounded away from zero to
 * the next milli-unit, because the apiserver's quota admission compares
 * `MilliValue()`, which rounds the same way; rounding down instead would let a
 * child allocation of `1n` fit in a budget Kubernetes considers full.
 *
 * Negative values are accepted here, because deltas can be negative; budgets
 * reject them in {@link parseResourceList}.
 *
 * @throws {QuantityError} when the input is not a quantity, or its magnitude exceeds {@link MAX_MILLI}.
 */
export function parseQuantity(input: string | number): bigint {
  const text = quantityText(input);
  const match = QUANTITY_PATTERN.exec(text);
  if (match === null) {
    throw new QuantityError(input, `${showInput(input)} is not a Kubernetes quantity: ${hintFor(text)}${QUANTITY_EXAMPLES}`);
  }
  const [, sign = '', whole = '', wholeFraction = '', bareFraction = '', binary, decimal, exponent] = match;
  const fraction = wholeFraction + bareFraction;
  const digits = (whole + fraction).replace(/^0+/, '');
  if (exponent !== undefined && exponent.replace(/^[+-]?0*/, '').length > MAX_EXPONENT_DIGITS) {
    throw new QuantityError(input, `${showInput(input)} is not a Kubernetes quantity: its exponent is out of range; ${QUANTITY_EXAMPLES}`);
  }
  if (digits === '') {
    return 0n;
  }
  const binaryPower = binary === undefined ? 0 : (BINARY_SUFFIX_POWER[binary] ?? 0);
  const decimalPower = decimal !== undefined ? (DECIMAL_SUFFIX_POWER[decimal] ?? 0) : exponent !== undefined ? Number(exponent) : 0;
  // The +3 moves from units to milli-units.
  const scale = decimalPower - fraction.length + 3;
  const magnitude = magnitudeInMilli(input, digits, scale, binaryPower);
  return sign === '-' ? -magnitude : magnitude;
}

function quantityText(input: string | number): string {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) {
      throw new QuantityError(input, `${showInput(input)} is not a Kubernetes quantity: it must be a finite number; ${QUANTITY_EXAMPLES}`);
    }
    // String() yields forms like 1e+21 and 1e-7, which the quantity grammar accepts.
    return String(input);
  }
  if (typeof input !== 'string') {
    const shown = String(input);
    throw new QuantityError(shown, `${shown} is not a Kubernetes quantity: expected a string or a number; ${QUANTITY_EXAMPLES}`);
  }
  return input;
}

/** |digits × 10^scale × 2^binaryPower| in milli-units, rounded away from zero. */
function magnitudeInMilli(input: string | number, digits: string, scale: number, binaryPower: number): bigint {
  // The value lies in [10^leading, 10^(leading+1) × 2^binaryPower); bound it before
  // building powers so that exponents like 1e999999999 cannot exhaust memory.
  const leading = digits.length - 1 + scale;
  if (leading >= 19) {
    throw tooLarge(input);
  }
  // 2^60 < 10^19, so below this the value is a positive fraction of one milli-unit.
  if (leading < -20) {
    return 1n;
  }
  const numerator = BigInt(digits) * 2n ** BigInt(binaryPower) * 10n ** BigInt(Math.max(scale, 0));
  const denominator = 10n ** BigInt(Math.max(-scale, 0));
  const quotient = numerator / denominator;
  const rounded = numerator % denominator === 0n ? quotient : quotient + 1n;
  if (rounded > MAX_MILLI) {
    throw tooLarge(input);
  }
  return rounded;
}

function tooLarge(input: string | number): QuantityError {
  return new QuantityError(
    input,
    `${showInput(input)} is too large: Kubernetes holds quantities as 64-bit milli-units, so the limit is ${MAX_MILLI}m (about 8Pi)`,
  );
}

/** Names the likely mistakes, so the message says how to fix the value rather than only that it is wrong. */
function hintFor(text: string): string {
  const hints: string[] = [];
  if (text === '') {
    hints.push('it is empty');
  }
  if (/\s/.test(text)) {
    hints.push('it contains whitespace');
  }
  if (/\d,\d/.test(text)) {
    hints.push('the decimal separator is a dot (1.5, not 1,5)');
  }
  if (/[KMGTPEkmgtpe]i?[Bb]$/.test(text)) {
    hints.push('suffixes have no B (write 1Gi or 1G, not 1GiB or 1GB)');
  }
  if (/\dK$/.test(text)) {
    hints.push('kilo is a lowercase k (1k = 1000) and kibi is Ki (1Ki = 1024)');
  }
  if (/\d[kmgtpe]i$/.test(text)) {
    hints.push('binary suffixes start with a capital letter (Ki, Mi, Gi)');
  }
  return hints.map((hint) => `${hint}; `).join('');
}
