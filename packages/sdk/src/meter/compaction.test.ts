import { describe, expect, it } from 'vitest';
import { COMPACTED_BATCH } from '../model/index.ts';
import { compactionPlan, countedRecords, daysOfMonth, rollUp, usageName, usagePrefix } from './compaction.ts';
import type { BucketRecord, CoverageRecord } from './records.ts';
import { DEFAULT_RETENTION, retentionPolicy } from './retention.ts';
import { buildReport } from './report.ts';
import { bucketsBySpaceHour, dayStart, newSpaceUsage, type SpaceUsageObject, usageRefs } from './usage-objects.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const space = { organization: 'acme', tenant: 'web', space: 'dev' };

/** Hour objects of `space` in its namespace, from minute buckets, each group in write `batch`. */
function hourObjects(records: BucketRecord[], batch: string, prefixIndex = 0): SpaceUsageObject[] {
  return bucketsBySpaceHour(records, batch).map((g) =>
    newSpaceUsage(usageRefs(g.space, g.day, g.hour)[prefixIndex] as never, g.space, g.day, g.hour, g.buckets),
  );
}

/** A minute bucket whose CPU integral depends on the minute, so that no two are alike. */
function minute(at: number): BucketRecord {
  const millicores = BigInt(100 + ((at / MIN) % 97));
  return { type: 'bucket', ...space, start: at, end: at + MIN, integrals: new Map([['requests.cpu', millicores * BigInt(MIN)]]) };
}

function minutes(from: number, to: number, step = 7 * MIN): BucketRecord[] {
  const out: BucketRecord[] = [];
  for (let t = from; t < to; t += step) out.push(minute(t));
  return out;
}

const cpu = (records: BucketRecord[], window: { from: number; to: number }) => {
  const coverage: CoverageRecord[] = [{ type: 'coverage', ...window }];
  const report = buildReport([...records, ...coverage], { ...window, by: 'space' });
  return report.rows[0]?.integrals.get('requests.cpu') ?? 0n;
};

describe('retention policy', () => {
  it('keeps minutes for two days, hours for five weeks and everything for 400 days, and refuses settings out of order', () => {
    expect(retentionPolicy()).toEqual(DEFAULT_RETENTION);
    expect(() => retentionPolicy({ minutesForMs: HOUR })).toThrow(/at least a day/);
    expect(() => retentionPolicy({ minutesForMs: 10 * DAY, hoursForMs: 5 * DAY })).toThrow(/at least as long as minute/);
    expect(() => retentionPolicy({ retentionMs: 10 * DAY })).toThrow(/at least as long as hour/);
  });

  it('rolls up a day once it ended two days ago, a month five weeks after it ended, and deletes days after 400', () => {
    const now = Date.parse('2026-12-04T10:00:00Z');
    const coverage = new Map<string, 'day' | 'month' | undefined>([
      ['2025-10-27', 'month'],
      ['2025-11-01', 'month'],
      ['2026-10-05', 'day'],
      ['2026-10-31', 'day'],
      ['2026-11-15', 'day'],
      ['2026-12-01', undefined],
      ['2026-12-02', undefined],
      ['2026-12-03', undefined],
      ['2026-12-04', undefined],
    ]);
    expect(compactionPlan(coverage, now, DEFAULT_RETENTION)).toEqual({
      // 12-02 ended 34 hours ago: not yet.
      days: ['2026-12-01'],
      // October ended 34 days and 10 hours ago: not yet; 2025-11 is already compacted.
      months: [],
      // 2025-10-27 ended 402 days and 10 hours ago; 2025-11-01 ended 397 days ago.
      expired: ['2025-10-27'],
    });
    expect(compactionPlan(coverage, now + 2 * DAY, DEFAULT_RETENTION).months).toEqual(['2026-10']);
  });
});

describe('names', () => {
  it('name an hour, a day and a month of a Space, with the prefix of an archived copy', () => {
    expect(usageName('', 'hour', '2026-12-04', 7)).toBe('usage-2026-12-04-07');
    expect(usageName('dev.', 'day', '2026-12-04')).toBe('dev.usage-2026-12-04');
    expect(usageName('web.dev.', 'month', '2026-12-04')).toBe('web.dev.usage-2026-12');
    expect(usagePrefix('web.dev.usage-2026-12-04-07')).toBe('web.dev.');
    expect(usagePrefix('usage-2026-12')).toBe('');
    expect(daysOfMonth('2028-02')).toHaveLength(29);
  });
});

describe('roll-up', () => {
  const day = '2026-12-01';
  const base = dayStart(day);
  const committed = minutes(base, base + DAY);
  const dead = minutes(base + 3 * HOUR + MIN, base + 4 * HOUR, 11 * MIN);
  const hours = [...hourObjects(committed, 'run.1'), ...hourObjects(dead, 'dead.1')];
  const commits = new Set(['run.1']);

  it('sums committed buckets per hour into one object of at most 24 buckets; the totals of every whole hour stay exact', () => {
    const rolled = rollUp({ namespace: 'acme--web--dev', name: 'usage-2026-12-01' }, hours, commits, 'day', day);
    expect(rolled.spec).toMatchObject({ ...space, period: 'day', day });
    expect(rolled.spec.buckets.length).toBeLessThanOrEqual(24);
    expect(rolled.spec.buckets.every((b) => b.batch === COMPACTED_BATCH)).toBe(true);
    expect(rolled.metadata.labels?.['spacekit.dev/usage-period']).toBe(day);
    const before = countedRecords(hours, commits).records;
    const after = countedRecords([rolled], new Set()).records;
    expect(before.length).toBeGreaterThan(100);
    for (let h = 0; h < 24; h++) {
      const window = { from: base + h * HOUR, to: base + (h + 1) * HOUR };
      expect(cpu(after, window)).toBe(cpu(before, window));
    }
    expect(cpu(after, { from: base, to: base + DAY })).toBe(
      committed.reduce((sum, r) => sum + (r.integrals.get('requests.cpu') ?? 0n), 0n),
    );
  });

  it('rolls days into a month of day buckets with the same totals per day', () => {
    const second = '2026-12-02';
    const days = [
      rollUp({ namespace: 'n', name: 'usage-2026-12-01' }, hours, commits, 'day', day),
      rollUp(
        { namespace: 'n', name: 'usage-2026-12-02' },
        hourObjects(minutes(dayStart(second), dayStart(second) + DAY), 'run.2'),
        new Set(['run.2']),
        'day',
        second,
      ),
    ];
    const month = rollUp({ namespace: 'n', name: 'usage-2026-12' }, days, new Set(), 'month', day);
    expect(month.spec).toMatchObject({ period: 'month', day: '2026-12-01' });
    expect(month.spec.buckets).toHaveLength(2);
    for (const d of [day, second]) {
      const window = { from: dayStart(d), to: dayStart(d) + DAY };
      expect(cpu(countedRecords([month], new Set()).records, window)).toBe(cpu(countedRecords(days, new Set()).records, window));
    }
  });

  it('counts an hour object once when its day is rolled up but the hour was not yet deleted, and a month over its days', () => {
    const rolled = rollUp({ namespace: 'acme--web--dev', name: 'usage-2026-12-01' }, hours, commits, 'day', day);
    const whole = { from: base, to: base + DAY };
    const expected = cpu(countedRecords([rolled], commits).records, whole);
    expect(cpu(countedRecords([rolled, ...hours], commits).records, whole)).toBe(expected);
    const month = rollUp({ namespace: 'acme--web--dev', name: 'usage-2026-12' }, [rolled], commits, 'month', day);
    expect(cpu(countedRecords([month, rolled, ...hours], commits).records, whole)).toBe(expected);
  });

  it("counts a Space's archived copy and its original once, read together while the Space is deleted", () => {
    const copies = [...hourObjects(committed, 'run.1', 0), ...hourObjects(committed, 'run.1', 1)];
    const once = countedRecords(hourObjects(committed, 'run.1'), commits).records;
    expect(countedRecords(copies, commits).records).toHaveLength(once.length);
  });

  it('refuses parts of another Space', () => {
    const other = hourObjects([{ ...minute(base), space: 'qa' }], 'run.1');
    expect(() => rollUp({ namespace: 'n', name: 'usage-2026-12-01' }, [...hours, ...other], commits, 'day', day)).toThrow(/another Space/);
  });
});
