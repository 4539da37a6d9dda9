import { describe, expect, it } from 'vitest';
import { QuantityError } from './errors.ts';
import { MAX_MILLI, parseQuantity } from './parse.ts';

// Kubernetes facts, in units; parseQuantity answers in milli-units.
const Mi = 1024n ** 2n;
const Gi = 1024n ** 3n;
const Ti = 1024n ** 4n;
const Pi = 1024n ** 5n;
const MILLI_PER_UNIT = 1000n;

describe('parseQuantity: valid forms', () => {
  const cases: ReadonlyArray<{ input: string | number; milli: bigint }> = [
    { input: '1', milli: 1n * MILLI_PER_UNIT },
    { input: '0', milli: 0n },
    { input: '-0', milli: 0n },
    { input: '0.1', milli: 100n },
    { input: '.5', milli: 500n },
    { input: '5.', milli: 5n * MILLI_PER_UNIT },
    { input: '+2', milli: 2n * MILLI_PER_UNIT },
    { input: '-1', milli: -1n * MILLI_PER_UNIT },
    { input: '007', milli: 7n * MILLI_PER_UNIT },
    { input: '500m', milli: 500n },
    { input: '1500m', milli: 1500n },
    { input: '1000000u', milli: 1000n },
    { input: '1000000n', milli: 1n },
    { input: '1k', milli: 1000n * MILLI_PER_UNIT },
    { input: '1M', milli: 1_000_000n * MILLI_PER_UNIT },
    { input: '1G', milli: 1_000_000_000n * MILLI_PER_UNIT },
    { input: '2T', milli: 2n * 10n ** 12n * MILLI_PER_UNIT },
    { input: '3P', milli: 3n * 10n ** 15n * MILLI_PER_UNIT },
    { input: '0.001E', milli: 10n ** 15n * MILLI_PER_UNIT },
    { input: '1Ki', milli: 1024n * MILLI_PER_UNIT },
    { input: '1Mi', milli: 1_048_576n * MILLI_PER_UNIT },
    { input: '1Gi', milli: 1_073_741_824n * MILLI_PER_UNIT },
    { input: '100Mi', milli: 100n * Mi * MILLI_PER_UNIT },
    { input: '1.5Gi', milli: (3n * Gi * MILLI_PER_UNIT) / 2n },
    { input: '0.5Ki', milli: 512n * MILLI_PER_UNIT },
    { input: '1Ti', milli: Ti * MILLI_PER_UNIT },
    { input: '2Pi', milli: 2n * Pi * MILLI_PER_UNIT },
    { input: '.25Ki', milli: 256n * MILLI_PER_UNIT },
    { input: '1e3', milli: 1000n * MILLI_PER_UNIT },
    { input: '1E3', milli: 1000n * MILLI_PER_UNIT },
    { input: '1e+3', milli: 1000n * MILLI_PER_UNIT },
    { input: '1.5e3', milli: 1500n * MILLI_PER_UNIT },
    { input: '1E-2', milli: 10n },
    { input: '1e0', milli: 1n * MILLI_PER_UNIT },
    { input: '0e999999999', milli: 0n },
    { input: 2, milli: 2n * MILLI_PER_UNIT },
    { input: 0.1, milli: 100n },
    { input: 1.5, milli: 1500n },
    { input: -3, milli: -3n * MILLI_PER_UNIT },
    { input: 1e6, milli: 1_000_000n * MILLI_PER_UNIT },
    { input: '9223372036854775807m', milli: 2n ** 63n - 1n },
    { input: '-9223372036854775807m', milli: -(2n ** 63n - 1n) },
  ];

  it.each(cases)('$input is $milli milli-units', ({ input, milli }) => {
    expect(parseQuantity(input)).toBe(milli);
  });

  it('agrees with the Kubernetes identities 1k = 1000, 1Ki = 1024 and 1Gi = 1073741824 bytes', () => {
    expect(parseQuantity('1k')).toBe(parseQuantity('1000'));
    expect(parseQuantity('1Ki')).toBe(parseQuantity('1024'));
    expect(parseQuantity('1Gi')).toBe(parseQuantity('1073741824'));
    expect(parseQuantity('1Gi')).toBe(parseQuantity('1024Mi'));
    expect(parseQuantity('1M')).toBe(parseQuantity('1e6'));
    expect(parseQuantity('1')).toBe(parseQuantity('1000m'));
  });
});

describe('parseQuantity: precision finer than a milli-unit rounds away from zero, like MilliValue()', () => {
  const cases: ReadonlyArray<{ input: string | number; milli: bigint }> = [
    { input: '1n', milli: 1n },
    { input: '1u', milli: 1n },
    { input: '999999n', milli: 1n },
    { input: '1000001n', milli: 2n },
    { input: '1500u', milli: 2n },
    { input: '0.0001', milli: 1n },
    { input: '5e-4', milli: 1n },
    { input: '1e-100', milli: 1n },
    { input: '1e-999999999', milli: 1n },
    { input: 1e-7, milli: 1n },
    { input: '-1n', milli: -1n },
    { input: '-1500u', milli: -2n },
    // 2^60 / 10^6 bytes is 1152921504606.846976 bytes, just short of 1152921504606847 milli-bytes.
    { input: '0.000001Ei', milli: 1_152_921_504_606_847n },
  ];

  it.each(cases)('$input is $milli milli-units', ({ input, milli }) => {
    expect(parseQuantity(input)).toBe(milli);
  });

  it('never rounds a non-zero request down to zero, so it cannot slip past a full budget', () => {
    expect(parseQuantity('1n')).toBeGreaterThan(0n);
    expect(parseQuantity('1n') + parseQuantity('999m')).toBe(parseQuantity('1'));
  });
});

describe('parseQuantity: rejected inputs', () => {
  const examples = 'such as 500m, 2, 1.5Gi or 512Mi';
  const cases: ReadonlyArray<{ input: string | number; fragments: readonly string[] }> = [
    { input: '', fragments: ['"" is not a Kubernetes quantity', 'it is empty', examples] },
    { input: ' 1', fragments: ['" 1" is not a Kubernetes quantity', 'whitespace'] },
    { input: '1 ', fragments: ['whitespace'] },
    { input: '\t1', fragments: ['"\\t1"', 'whitespace'] },
    { input: '1 Gi', fragments: ['whitespace'] },
    {
      input: '1.5 GB',
      fragments: [
        '"1.5 GB" is not a Kubernetes quantity:',
        'suffixes have no B',
        'use a number with an optional suffix such as 500m, 2, 1.5Gi or 512Mi',
      ],
    },
    { input: '1GB', fragments: ['suffixes have no B', examples] },
    { input: '512MiB', fragments: ['suffixes have no B'] },
    { input: '1K', fragments: ['kilo is a lowercase k'] },
    { input: '1gi', fragments: ['capital letter'] },
    { input: '1,5', fragments: ['decimal separator is a dot'] },
    { input: 'abc', fragments: ['"abc" is not a Kubernetes quantity', examples] },
    { input: 'Gi', fragments: ['"Gi" is not a Kubernetes quantity'] },
    { input: '.', fragments: ['"." is not a Kubernetes quantity'] },
    { input: '-', fragments: ['"-" is not a Kubernetes quantity'] },
    { input: '1..5', fragments: ['not a Kubernetes quantity'] },
    { input: '--1', fragments: ['not a Kubernetes quantity'] },
    { input: '+-1', fragments: ['not a Kubernetes quantity'] },
    { input: '1e', fragments: ['not a Kubernetes quantity'] },
    { input: '1e1.5', fragments: ['not a Kubernetes quantity'] },
    { input: '1Gi1', fragments: ['not a Kubernetes quantity'] },
    { input: '1mm', fragments: ['not a Kubernetes quantity'] },
    { input: '0x10', fragments: ['not a Kubernetes quantity'] },
    { input: '50%', fragments: ['not a Kubernetes quantity'] },
    { input: '1_000', fragments: ['not a Kubernetes quantity'] },
    { input: Number.NaN, fragments: ['NaN is not a Kubernetes quantity', 'finite number'] },
    { input: Number.POSITIVE_INFINITY, fragments: ['Infinity is not a Kubernetes quantity', 'finite number'] },
    { input: Number.NEGATIVE_INFINITY, fragments: ['-Infinity', 'finite number'] },
    { input: '1e9999999999999999999', fragments: ['exponent is out of range'] },
    { input: '9223372036854775808m', fragments: ['is too large', '9223372036854775807m'] },
    { input: '-9223372036854775808m', fragments: ['is too large'] },
    { input: '1Ei', fragments: ['"1Ei" is too large', 'about 8Pi'] },
    { input: '10P', fragments: ['is too large'] },
    { input: '1e100', fragments: ['is too large'] },
    { input: '1e999999999', fragments: ['is too large'] },
    { input: 1e21, fragments: ['1e+21 is too large'] },
  ];

  it.each(cases)('rejects $input', ({ input, fragments }) => {
    let caught: unknown;
    try {
      parseQuantity(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(QuantityError);
    const error = caught as QuantityError;
    expect(error.name).toBe('QuantityError');
    expect(Object.is(error.input, input)).toBe(true);
    for (const fragment of fragments) {
      expect(error.message).toContain(fragment);
    }
  });

  it('rejects values that are not strings or numbers, as untyped YAML can produce', () => {
    expect(() => parseQuantity(true as unknown as string)).toThrow(/expected a string or a number/);
    expect(() => parseQuantity(10n as unknown as string)).toThrow(QuantityError);
  });

  it('puts the limit exactly at the largest int64', () => {
    expect(MAX_MILLI).toBe(9_223_372_036_854_775_807n);
    expect(parseQuantity(`${MAX_MILLI}m`)).toBe(MAX_MILLI);
    expect(() => parseQuantity(`${MAX_MILLI + 1n}m`)).toThrow(QuantityError);
  });
});
