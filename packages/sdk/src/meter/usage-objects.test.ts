import { describe, expect, it } from 'vitest';
import { MAX_BUCKETS_PER_OBJECT, SpaceUsageSpecSchema, type UsageBucket } from '../model/index.ts';
import type { BucketRecord } from './records.ts';
import {
  bucketsBySpaceHour,
  coverageByDay,
  coverageOf,
  daysOf,
  newMeterCoverage,
  newSpaceUsage,
  recordsOf,
  usageRefs,
  withBuckets,
} from './usage-objects.ts';

const T0 = Date.parse('2026-12-04T10:00:00.000Z');
const MIN = 60_000;
const space = { organization: 'acme', tenant: 'web', space: 'dev' };

function bucket(start: number, end: number, integrals: Record<string, bigint>, s = space): BucketRecord {
  return { type: 'bucket', ...s, start, end, integrals: new Map(Object.entries(integrals)) };
}

describe('usage objects', () => {
  it("keep a Space's hour in its namespace, then its tenant's, then its organization's, named so that Spaces do not collide", () => {
    expect(usageRefs(space, '2026-12-04', 7)).toEqual([
      { namespace: 'acme--web--dev', name: 'usage-2026-12-04-07' },
      { namespace: 'acme--web', name: 'dev.usage-2026-12-04-07' },
      { namespace: 'acme', name: 'web.dev.usage-2026-12-04-07' },
    ]);
  });

  it('group buckets by Space and UTC hour, stamp them with the write, and leave out buckets of nothing but zeros', () => {
    const other = { ...space, space: 'qa' };
    const groups = bucketsBySpaceHour(
      [
        bucket(T0, T0 + MIN, { 'requests.cpu': 500n * BigInt(MIN), pods: 0n }),
        bucket(T0 + 59 * MIN, T0 + 60 * MIN, { 'requests.cpu': 1n }),
        bucket(T0 + 60 * MIN, T0 + 61 * MIN, { 'requests.cpu': 2n }),
        bucket(T0, T0 + MIN, { 'requests.cpu': 0n, pods: 0n }, other),
      ],
      'run.1',
    );
    expect(groups.map((g) => [g.space.space, g.day, g.hour, g.buckets.length])).toEqual([
      ['dev', '2026-12-04', 10, 2],
      ['dev', '2026-12-04', 11, 1],
    ]);
    expect(groups[0]?.buckets[0]).toEqual({
      start: 10 * 60 * MIN,
      end: 10 * 60 * MIN + MIN,
      batch: 'run.1',
      integrals: { 'requests.cpu': '30000000' },
    });
  });

  it('refuse a bucket that crosses the hour', () => {
    expect(() => bucketsBySpaceHour([bucket(T0 + 30 * MIN, T0 + 90 * MIN, { 'requests.cpu': 1n })], 'b')).toThrow(/may not cross the hour/);
  });

  it('split coverage at midnight UTC', () => {
    const midnight = Date.parse('2026-12-05T00:00:00.000Z');
    const byDay = coverageByDay([{ type: 'coverage', from: midnight - MIN, to: midnight + 2 * MIN }]);
    expect([...byDay]).toEqual([
      ['2026-12-04', [{ from: 86_400_000 - MIN, to: 86_400_000 }]],
      ['2026-12-05', [{ from: 0, to: 2 * MIN }]],
    ]);
    expect(daysOf({ from: midnight - MIN, to: midnight + MIN })).toEqual(['2026-12-04', '2026-12-05']);
    expect(daysOf({ from: midnight, to: midnight + MIN })).toEqual(['2026-12-05']);
  });

  it('count only the buckets of committed writes, with exact integrals and absolute times', () => {
    const [group] = bucketsBySpaceHour([bucket(T0, T0 + MIN, { 'requests.memory': 2n ** 70n })], 'done');
    const [orphan] = bucketsBySpaceHour([bucket(T0 + MIN, T0 + 2 * MIN, { 'requests.memory': 5n })], 'cut-short');
    const usage = newSpaceUsage(usageRefs(space, '2026-12-04', 10)[0]!, space, '2026-12-04', 10, [...group!.buckets, ...orphan!.buckets]);
    expect(SpaceUsageSpecSchema.safeParse(usage.spec).success).toBe(true);
    const records = recordsOf(usage, new Set(['done']));
    expect(records).toEqual([{ type: 'bucket', ...space, start: T0, end: T0 + MIN, integrals: new Map([['requests.memory', 2n ** 70n]]) }]);
    expect(recordsOf({ ...usage, spec: { ...usage.spec, day: 'yesterday' } }, new Set(['done']))).toBeUndefined();
  });

  it('merge coverage spans and keep each committed write once', () => {
    const coverage = newMeterCoverage(
      'all',
      '2026-12-04',
      [
        { from: MIN, to: 2 * MIN },
        { from: 0, to: MIN },
        { from: 5 * MIN, to: 6 * MIN },
      ],
      ['a', 'b', 'a'],
    );
    expect(coverage.metadata.name).toBe('all.2026-12-04');
    expect(coverage.spec).toEqual({
      day: '2026-12-04',
      shard: 'all',
      spans: [
        { from: 0, to: 2 * MIN },
        { from: 5 * MIN, to: 6 * MIN },
      ],
      batches: ['a', 'b'],
    });
    const base = Date.parse('2026-12-04T00:00:00.000Z');
    expect(coverageOf(coverage)).toEqual({
      records: [
        { type: 'coverage', from: base, to: base + 2 * MIN },
        { type: 'coverage', from: base + 5 * MIN, to: base + 6 * MIN },
      ],
      batches: ['a', 'b'],
    });
  });

  it('keep an hour bounded: a write past the limit is refused rather than growing the object', () => {
    const one = (i: number): UsageBucket => ({ start: i * 1000, end: i * 1000 + 1000, batch: 'b', integrals: { pods: '1000' } });
    const full = Array.from({ length: MAX_BUCKETS_PER_OBJECT }, (_, i) => one(i));
    expect(withBuckets(full.slice(1), [one(0)]).map((b) => b.start)).toEqual(full.map((b) => b.start));
    expect(() => withBuckets(full, [one(MAX_BUCKETS_PER_OBJECT)])).toThrow(RangeError);
  });
});
