import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Quantity } from './arithmetic.ts';
import { formatQuantity, type QuantityStyle } from './format.ts';
import { humanQuantity } from './human.ts';
import { MAX_MILLI, parseQuantity } from './parse.ts';
import { formatResourceList, parseResourceList, sumResourceLists } from './resource-list.ts';

const STYLES: readonly QuantityStyle[] = ['cpu', 'bytes', 'plain'];

// Multipliers stated from the Kubernetes documentation, as numerator/denominator of units.
const SUFFIX_VALUE: ReadonlyArray<readonly [suffix: string, numerator: bigint, denominator: bigint]> = [
  ['n', 1n, 1_000_000_000n],
  ['u', 1n, 1_000_000n],
  ['m', 1n, 1000n],
  ['', 1n, 1n],
  ['k', 1000n, 1n],
  ['M', 1_000_000n, 1n],
  ['G', 1_000_000_000n, 1n],
  ['T', 1_000_000_000_000n, 1n],
  ['Ki', 1024n, 1n],
  ['Mi', 1_048_576n, 1n],
  ['Gi', 1_073_741_824n, 1n],
  ['Ti', 1_099_511_627_776n, 1n],
];

/** Ceiling of |numerator / denominator| with the sign of the numerator: what MilliValue() does. */
function roundAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  const magnitude = numerator < 0n ? -numerator : numerator;
  const rounded = (magnitude + denominator - 1n) / denominator;
  return numerator < 0n ? -rounded : rounded;
}

const digits = (min: number, max: number) =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((chars) => chars.join(''));

/**
 * Strings from the quantity grammar, each paired with its value computed from the parts,
 * not from the text. At most three integer digits keep every value within int64 milli-units.
 */
const grammarQuantity = fc
  .record({
    sign: fc.constantFrom('', '+', '-'),
    whole: digits(0, 3),
    dot: fc.boolean(),
    fraction: digits(0, 9),
    ending: fc.oneof(
      fc.constantFrom(...SUFFIX_VALUE).map(([suffix, numerator, denominator]) => ({ text: suffix, numerator, denominator })),
      fc
        .record({
          letter: fc.constantFrom('e', 'E'),
          exponentSign: fc.constantFrom('', '+', '-'),
          exponent: fc.integer({ min: 0, max: 12 }),
        })
        .map(({ letter, exponentSign, exponent }) => {
          const power = 10n ** BigInt(exponent);
          return exponentSign === '-'
            ? { text: `${letter}-${exponent}`, numerator: 1n, denominator: power }
            : { text: `${letter}${exponentSign}${exponent}`, numerator: power, denominator: 1n };
        }),
    ),
  })
  .filter(({ whole, dot, fraction }) => (dot ? whole.length + fraction.length > 0 : whole.length > 0))
  .map(({ sign, whole, dot, fraction, ending }) => {
    const usedFraction = dot ? fraction : '';
    const text = `${sign}${whole}${dot ? `.${usedFraction}` : ''}${ending.text}`;
    const mantissa = BigInt(`${whole}${usedFraction}` || '0') * (sign === '-' ? -1n : 1n);
    const milli = roundAwayFromZero(mantissa * ending.numerator * 1000n, ending.denominator * 10n ** BigInt(usedFraction.length));
    return { text, milli };
  });

/** Milli-unit values, biased towards the round numbers real budgets use. */
const milliValue = fc.oneof(
  fc.bigInt({ min: -MAX_MILLI, max: MAX_MILLI }),
  fc.bigInt({ min: -100_000n, max: 100_000n }),
  fc.integer({ min: 0, max: 5 }).chain((power) => {
    const unit = 1024n ** BigInt(power) * 1000n;
    const limit = MAX_MILLI / unit;
    return fc.bigInt({ min: -limit, max: limit }).map((count) => count * unit);
  }),
);

const RESOURCE_NAMES = ['requests.cpu', 'requests.memory', 'limits.cpu', 'pods', 'count/deployments.apps', 'requests.nvidia.com/gpu'];

const resourceMap = fc
  .dictionary(fc.constantFrom(...RESOURCE_NAMES), fc.bigInt({ min: 0n, max: MAX_MILLI }))
  .map((record) => new Map(Object.entries(record)));

function entries(map: ReadonlyMap<string, Quantity>): Array<[string, Quantity]> {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

describe('properties', () => {
  it('parses its own output back to the same value, in every style', () => {
    fc.assert(
      fc.property(milliValue, (milli) => {
        for (const style of STYLES) {
          expect(parseQuantity(formatQuantity(milli, style))).toBe(milli);
        }
      }),
    );
  });

  it('parses every grammar form to the value its parts denote, rounded away from zero to a milli-unit', () => {
    fc.assert(
      fc.property(grammarQuantity, ({ text, milli }) => {
        expect(parseQuantity(text)).toBe(milli);
      }),
      { numRuns: 500 },
    );
  });

  it('formats any parsed quantity into text that parses back to the same value', () => {
    fc.assert(
      fc.property(grammarQuantity, ({ text }) => {
        const milli = parseQuantity(text);
        for (const style of STYLES) {
          expect(parseQuantity(formatQuantity(milli, style))).toBe(milli);
        }
      }),
    );
  });

  it('shows people a valid quantity within half a displayed digit of the exact value', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('requests.cpu', 'requests.memory', 'pods'),
        fc.bigInt({ min: 0n, max: MAX_MILLI / 2n }),
        (name, milli) => {
          const shown = parseQuantity(humanQuantity(name, milli));
          const error = shown > milli ? shown - milli : milli - shown;
          // One decimal of at least one whole unit is off by at most 5%; whole bytes by at most half a byte.
          expect(error * 20n <= milli || error <= 500n).toBe(true);
        },
      ),
    );
  });

  it('sums resource lists commutatively', () => {
    fc.assert(
      fc.property(resourceMap, resourceMap, (a, b) => {
        expect(entries(sumResourceLists([a, b]))).toEqual(entries(sumResourceLists([b, a])));
      }),
    );
  });

  it('sums resource lists associatively', () => {
    fc.assert(
      fc.property(resourceMap, resourceMap, resourceMap, (a, b, c) => {
        const left = sumResourceLists([sumResourceLists([a, b]), c]);
        const right = sumResourceLists([a, sumResourceLists([b, c])]);
        expect(entries(left)).toEqual(entries(right));
        expect(entries(left)).toEqual(entries(sumResourceLists([a, b, c])));
      }),
    );
  });

  it('sums each resource to the total of its values, with the empty list as identity', () => {
    fc.assert(
      fc.property(fc.array(resourceMap, { maxLength: 6 }), (lists) => {
        const total = sumResourceLists(lists);
        for (const name of RESOURCE_NAMES) {
          const expected = lists.reduce((sum, list) => sum + (list.get(name) ?? 0n), 0n);
          expect(total.get(name) ?? 0n).toBe(expected);
        }
        expect(entries(sumResourceLists([...lists, new Map()]))).toEqual(entries(total));
      }),
    );
  });

  it('round-trips budgets through their Kubernetes text form', () => {
    fc.assert(
      fc.property(resourceMap, (budget) => {
        expect(entries(parseResourceList(formatResourceList(budget)))).toEqual(entries(budget));
      }),
    );
  });
});
