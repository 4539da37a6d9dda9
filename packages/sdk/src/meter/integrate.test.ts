import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { BucketAccumulator, heldSpan, integrateSamples, type UsageSample } from './integrate.ts';
import type { UsageRecord } from './records.ts';
import { integralInUnits } from './units.ts';
import { parseUsage } from './usage.ts';

const SECOND = 1_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 29, 10, 0, 0);
const GI = 2n ** 30n;
const MI = 2n ** 20n;

const dev = (used: Record<string, string>): UsageRecord => ({ organization: 'acme', tenant: 'payments', space: 'dev', used });
const prod = (used: Record<string, string>): UsageRecord => ({ organization: 'acme', tenant: 'payments', space: 'prod', used });

function everyMinute(count: number, records: (index: number) => UsageRecord[], start = T0): UsageSample[] {
  return Array.from({ length: count }, (_, index) => ({ time: start + index * MINUTE, records: records(index) }));
}

describe('heldSpan', () => {
  it('holds a sample until the next one when it comes within the interval', () => {
    expect(heldSpan(T0, MINUTE, T0 + 40 * SECOND)).toEqual({ from: T0, to: T0 + 40 * SECOND });
  });

  it('holds a sample for one interval at most', () => {
    expect(heldSpan(T0, MINUTE, T0 + 5 * MINUTE)).toEqual({ from: T0, to: T0 + MINUTE });
    expect(heldSpan(T0, MINUTE)).toEqual({ from: T0, to: T0 + MINUTE });
  });

  it('is empty when the next sample is not later', () => {
    expect(heldSpan(T0, MINUTE, T0 - SECOND)).toEqual({ from: T0, to: T0 });
  });
});

describe('integrateSamples', () => {
  it('integrates 250m CPU and 512Mi memory over 10 one-minute samples into 2.5 core-minutes and 5 GiB-minutes', () => {
    const { buckets, coverage } = integrateSamples(
      everyMinute(10, () => [dev({ 'requests.cpu': '250m', 'requests.memory': '512Mi' })]),
      { intervalMs: MINUTE, bucketMs: HOUR },
    );
    // 10 samples × 60 000 ms = 600 000 ms; 250 millicores × 600 000 ms = 150 000 000.
    const cpu = 250n * 600_000n;
    // 512Mi = 512 × 2^20 bytes = 512 × 2^20 × 1000 milli-bytes, held 600 000 ms.
    const memory = 512n * MI * 1000n * 600_000n;
    expect(buckets).toEqual([
      {
        type: 'bucket',
        organization: 'acme',
        tenant: 'payments',
        space: 'dev',
        start: T0,
        end: T0 + 10 * MINUTE,
        integrals: new Map([
          ['requests.cpu', cpu],
          ['requests.memory', memory],
        ]),
      },
    ]);
    // 0.25 cores × 10 min = 2.5; 0.5 GiB × 10 min = 5.
    expect(integralInUnits('requests.cpu', cpu)).toBe('2.5');
    expect(integralInUnits('requests.memory', memory)).toBe('5');
    expect(coverage).toEqual([{ from: T0, to: T0 + 10 * MINUTE }]);
  });

  it('leaves a gap of exactly (lateness − interval) when a sample comes late, and does not interpolate over it', () => {
    // The third sample comes 90 s after the second instead of 60 s.
    const samples: UsageSample[] = [
      { time: T0, records: [dev({ cpu: '1' })] },
      { time: T0 + 60 * SECOND, records: [dev({ cpu: '1' })] },
      { time: T0 + 150 * SECOND, records: [dev({ cpu: '1' })] },
    ];
    const { buckets, coverage } = integrateSamples(samples, { intervalMs: MINUTE, bucketMs: HOUR });
    // Gap: from 60 s + 60 s = 120 s to 150 s, i.e. 90 s − 60 s = 30 s.
    expect(coverage).toEqual([
      { from: T0, to: T0 + 120 * SECOND },
      { from: T0 + 150 * SECOND, to: T0 + 210 * SECOND },
    ]);
    // Measured 120 s + 60 s = 180 000 ms at 1000 millicores.
    expect(buckets[0]?.integrals.get('requests.cpu')).toBe(1000n * 180_000n);
  });

  it('splits a hold that crosses a bucket boundary exactly between the two buckets', () => {
    const { buckets } = integrateSamples([{ time: T0 + 59 * MINUTE + 30 * SECOND, records: [dev({ 'requests.cpu': '2' })] }], {
      intervalMs: MINUTE,
      bucketMs: HOUR,
    });
    // Held 10:59:30–11:00:30: 30 s in the 10:00 bucket and 30 s in the 11:00 bucket, at 2000 millicores.
    expect(buckets.map(({ start, end, integrals }) => ({ start, end, cpu: integrals.get('requests.cpu') }))).toEqual([
      { start: T0 + 59 * MINUTE + 30 * SECOND, end: T0 + HOUR, cpu: 2000n * 30_000n },
      { start: T0 + HOUR, end: T0 + HOUR + 30 * SECOND, cpu: 2000n * 30_000n },
    ]);
  });

  it('keeps one record per Space and bucket', () => {
    const { buckets } = integrateSamples(
      everyMinute(3, () => [dev({ 'requests.cpu': '100m' }), prod({ 'requests.cpu': '1500m' })]),
      { intervalMs: MINUTE, bucketMs: 2 * MINUTE },
    );
    // Buckets of 2 minutes: [0, 2m) holds two samples, [2m, 4m) one.
    expect(buckets.map((b) => [b.space, b.start - T0, b.end - T0, b.integrals.get('requests.cpu')])).toEqual([
      ['dev', 0, 2 * MINUTE, 100n * 120_000n],
      ['prod', 0, 2 * MINUTE, 1500n * 120_000n],
      ['dev', 2 * MINUTE, 3 * MINUTE, 100n * 60_000n],
      ['prod', 2 * MINUTE, 3 * MINUTE, 1500n * 60_000n],
    ]);
  });

  it('integrates each resource only over the samples that report it', () => {
    const used = [{ cpu: '1' }, { cpu: '1', pods: '2' }, { pods: '2' }];
    const { buckets } = integrateSamples(
      everyMinute(3, (index) => [dev(used[index] ?? {})]),
      { intervalMs: MINUTE, bucketMs: HOUR },
    );
    // CPU in samples 0 and 1: 1000 millicores × 120 000 ms; pods in samples 1 and 2: 2000 milli-pods × 120 000 ms.
    expect(buckets[0]?.integrals).toEqual(
      new Map([
        ['requests.cpu', 1000n * 120_000n],
        ['pods', 2000n * 120_000n],
      ]),
    );
  });

  it('counts a Space that disappears only while it was reported', () => {
    const { buckets } = integrateSamples(
      everyMinute(3, (index) => (index === 0 ? [dev({ cpu: '1' }), prod({ cpu: '1' })] : [dev({ cpu: '1' })])),
      { intervalMs: MINUTE, bucketMs: HOUR },
    );
    const prodRecord = buckets.find((b) => b.space === 'prod');
    // prod was in the first sample only: 1000 millicores × 60 000 ms, over [T0, T0 + 1m).
    expect(prodRecord).toMatchObject({ start: T0, end: T0 + MINUTE });
    expect(prodRecord?.integrals.get('requests.cpu')).toBe(1000n * 60_000n);
  });

  it('holds the last sample until `until` when that comes within the interval', () => {
    const { coverage, buckets } = integrateSamples([{ time: T0, records: [dev({ cpu: '1' })] }], {
      intervalMs: MINUTE,
      bucketMs: HOUR,
      until: T0 + 20 * SECOND,
    });
    expect(coverage).toEqual([{ from: T0, to: T0 + 20 * SECOND }]);
    expect(buckets[0]?.integrals.get('requests.cpu')).toBe(1000n * 20_000n);
  });

  it('stays exact where floats would not: 1 byte for 7 days', () => {
    const { buckets } = integrateSamples([{ time: T0, records: [dev({ memory: '1' })] }], {
      intervalMs: 7 * 24 * HOUR,
      bucketMs: 24 * HOUR,
    });
    // 1 byte = 1000 milli-bytes; the 7-day hold splits over 8 day buckets (10:00 to 10:00), total 7 × 86 400 000 ms.
    expect(buckets).toHaveLength(8);
    expect(buckets.reduce((sum, b) => sum + (b.integrals.get('requests.memory') ?? 0n), 0n)).toBe(1000n * 7n * 86_400_000n);
  });

  it('refuses samples that are not in increasing time order', () => {
    const samples: UsageSample[] = [
      { time: T0 + MINUTE, records: [] },
      { time: T0, records: [] },
    ];
    expect(() => integrateSamples(samples, { intervalMs: MINUTE, bucketMs: HOUR })).toThrow(/strictly increasing; sort the samples/);
  });
});

describe('parseUsage', () => {
  it('normalizes shorthand names and counts a resource given under both spellings once', () => {
    const usage = parseUsage([dev({ cpu: '1', 'requests.cpu': '1', memory: '1Gi' })]);
    expect([...usage.values()][0]?.quantities).toEqual(
      new Map([
        ['requests.cpu', 1000n],
        ['requests.memory', GI * 1000n],
      ]),
    );
  });

  it('lists every problem in one ValidationError', () => {
    const parse = () =>
      parseUsage([dev({ cpus: '1', memory: '-1Gi', pods: 'many' }), dev({}), { organization: '', tenant: 't', space: 's', used: {} }]);
    expect(parse).toThrow(ValidationError);
    let message = '';
    try {
      parse();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('[0].used.cpus: "cpus" is not a resource ResourceQuota understands');
    expect(message).toContain('[0].used.memory: "-1Gi" is negative; usage is zero or more');
    expect(message).toContain('[0].used.pods: "many" is not a Kubernetes quantity');
    expect(message).toContain('[1]: space acme/payments/dev is given twice; report each Space once per sample');
    expect(message).toContain('[2].organization: name the organization this usage belongs to');
  });
});

describe('BucketAccumulator', () => {
  it('returns only the buckets that end by the cutoff, and keeps the rest', () => {
    const accumulator = new BucketAccumulator(MINUTE);
    accumulator.add(parseUsage([dev({ cpu: '1' })]), { from: T0, to: T0 + 90 * SECOND });
    expect(accumulator.take(T0 + MINUTE).map((b) => b.end - T0)).toEqual([MINUTE]);
    expect(accumulator.take(T0 + MINUTE)).toEqual([]);
    expect(accumulator.take().map((b) => [b.start - T0, b.end - T0])).toEqual([[MINUTE, 90 * SECOND]]);
  });

  it('ignores an empty span', () => {
    const accumulator = new BucketAccumulator(MINUTE);
    accumulator.add(parseUsage([dev({ cpu: '1' })]), { from: T0 + SECOND, to: T0 + SECOND });
    expect(accumulator.take()).toEqual([]);
  });
});

describe('integrateSamples options', () => {
  it('refuses a bucket length that is not a positive whole number', () => {
    expect(() => integrateSamples([], { intervalMs: MINUTE, bucketMs: 0 })).toThrow(
      'bucketMs: 0 is not a positive whole number of milliseconds',
    );
    expect(() => integrateSamples([], { intervalMs: 1.5, bucketMs: HOUR })).toThrow(ValidationError);
  });
});
