import { COMPACTED_BATCH, SpaceUsageSpecSchema, type UsageBucket, type UsagePeriod } from '../model/index.ts';
import type { BucketRecord, TimeSpan } from './records.ts';
import type { RetentionPolicy } from './retention.ts';
import { dayOf, dayStart, type ObjectRef, type SpaceUsageObject, spaceUsageObject, specRecords } from './usage-objects.ts';

// Compaction and retention of metered usage (ADR 0018): what to roll up and what to expire, and how a
// report reads objects of several resolutions at once. Pure; the compactor does the I/O.

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The UTC month of a day, `2026-12`. */
export function monthOf(day: string): string {
  return day.slice(0, 7);
}

/** The first and the day after the last day of a month, as ms since the epoch. */
export function monthSpan(month: string): TimeSpan {
  const from = Date.parse(`${month}-01T00:00:00.000Z`);
  const next = new Date(from);
  next.setUTCMonth(next.getUTCMonth() + 1);
  return { from, to: next.getTime() };
}

/** Every day of a month, `2026-12-01` … `2026-12-31`. */
export function daysOfMonth(month: string): string[] {
  const { from, to } = monthSpan(month);
  const days: string[] = [];
  for (let t = from; t < to; t += DAY_MS) days.push(dayOf(t));
  return days;
}

/** The time one stored SpaceUsage holds. */
export function periodSpan(spec: { period: UsagePeriod; day: string; hour?: number | undefined }): TimeSpan {
  const base = dayStart(spec.day);
  if (spec.period === 'hour') return { from: base + (spec.hour ?? 0) * HOUR_MS, to: base + ((spec.hour ?? 0) + 1) * HOUR_MS };
  if (spec.period === 'day') return { from: base, to: base + DAY_MS };
  return monthSpan(monthOf(spec.day));
}

/** What a compaction pass does, given the days its shard has coverage of and how far each is compacted. */
export interface CompactionPlan {
  /** Days whose hour objects become day objects. */
  readonly days: string[];
  /** Months whose day objects become month objects. */
  readonly months: string[];
  /** Days whose usage and coverage are deleted. */
  readonly expired: string[];
}

/**
 * Decides which days to roll up, which months to roll up and which days to delete, at `now`. A day is
 * rolled up once it ended `minutesFor` ago, a month once it ended `hoursFor` ago, and a day is deleted
 * once it ended `retention` ago (its month's object with its last day).
 */
export function compactionPlan(
  coverage: ReadonlyMap<string, 'day' | 'month' | undefined>,
  now: number,
  policy: RetentionPolicy,
): CompactionPlan {
  const ended = (to: number, keptMs: number) => to + keptMs <= now;
  const days: string[] = [];
  const months = new Set<string>();
  const expired: string[] = [];
  for (const [day, compacted] of [...coverage].sort(([a], [b]) => a.localeCompare(b))) {
    const end = dayStart(day) + DAY_MS;
    if (ended(end, policy.retentionMs)) {
      expired.push(day);
      continue;
    }
    if (compacted === undefined && ended(end, policy.minutesForMs)) days.push(day);
    if (compacted !== 'month' && ended(monthSpan(monthOf(day)).to, policy.hoursForMs)) months.add(monthOf(day));
  }
  return { days, months: [...months].sort(), expired };
}

/** The name of the object that holds `period` of a Space's usage, with the prefix of an archived copy (`dev.`, `web.dev.`). */
export function usageName(prefix: string, period: UsagePeriod, day: string, hour?: number): string {
  if (period === 'hour') return `${prefix}usage-${day}-${String(hour ?? 0).padStart(2, '0')}`;
  return `${prefix}usage-${period === 'day' ? day : monthOf(day)}`;
}

/** The prefix of a usage object's name: empty in the Space's namespace, `SPACE.` or `TENANT.SPACE.` in an archive. */
export function usagePrefix(name: string): string {
  return name.slice(0, name.lastIndexOf('usage-'));
}

/** The identity a usage object's buckets belong to. */
function spaceKey(spec: { organization: string; tenant: string; space: string }): string {
  return JSON.stringify([spec.organization, spec.tenant, spec.space]);
}

const RANK: Record<UsagePeriod, number> = { hour: 0, day: 1, month: 2 };

/**
 * The bucket records a report counts from stored objects of any resolution: the committed buckets of
 * each object that no compacted object of the same Space covers, each bucket once. An hour object
 * that outlived its day's roll-up (compaction stopped between writing the day and deleting the
 * hours) is covered by the day object and not counted again; a Space's copy in its tenant's
 * namespace and the original, read together while the Space is being deleted, count once.
 *
 * @returns the records, and how many objects could not be read.
 */
export function countedRecords(
  usages: readonly SpaceUsageObject[],
  committed: ReadonlySet<string>,
): { records: BucketRecord[]; unreadable: number } {
  const parsed = usages.map((u) => SpaceUsageSpecSchema.safeParse(u.spec));
  const compacted = new Map<string, { rank: number; span: TimeSpan }[]>();
  for (const spec of parsed) {
    if (!spec.success || spec.data.period === 'hour') continue;
    const key = spaceKey(spec.data);
    compacted.set(key, [...(compacted.get(key) ?? []), { rank: RANK[spec.data.period], span: periodSpan(spec.data) }]);
  }
  const seen = new Set<string>();
  const records: BucketRecord[] = [];
  let unreadable = 0;
  for (const spec of parsed) {
    if (!spec.success) {
      unreadable++;
      continue;
    }
    const key = spaceKey(spec.data);
    const span = periodSpan(spec.data);
    const rank = RANK[spec.data.period];
    const covered = (compacted.get(key) ?? []).some((c) => c.rank > rank && c.span.from <= span.from && span.to <= c.span.to);
    if (covered) continue;
    for (const record of specRecords(spec.data, committed)) {
      const id = `${key}|${record.start}|${record.end}|${[...record.integrals].join(',')}`;
      if (seen.has(id)) continue;
      seen.add(id);
      records.push(record);
    }
  }
  return { records, unreadable };
}

/**
 * One object of `into` (a day of hour buckets, or a month of day buckets) from the objects of one
 * Space that it replaces: the committed buckets each counted once (as a report counts them), summed
 * per hour (per day). Each new bucket spans from the first measured millisecond of its hour to the
 * last, and its integrals are the exact sums, so a report over whole hours (days) is unchanged.
 *
 * @throws {RangeError} when a part belongs to another Space or lies outside the period.
 */
export function rollUp(
  ref: ObjectRef,
  parts: readonly SpaceUsageObject[],
  committed: ReadonlySet<string>,
  into: 'day' | 'month',
  day: string,
): SpaceUsageObject {
  const first = parts[0];
  if (first === undefined) throw new RangeError('nothing to roll up');
  const { organization, tenant, space } = first.spec;
  const periodDay = into === 'day' ? day : `${monthOf(day)}-01`;
  const span = periodSpan({ period: into, day: periodDay });
  const step = into === 'day' ? HOUR_MS : DAY_MS;
  for (const part of parts) {
    if (spaceKey(part.spec) !== spaceKey(first.spec)) throw new RangeError(`${part.metadata.name} belongs to another Space`);
  }
  const sums = new Map<number, { start: number; end: number; integrals: Map<string, bigint> }>();
  for (const record of countedRecords(parts, committed).records) {
    if (record.start < span.from || record.end > span.to)
      throw new RangeError(`a bucket of ${new Date(record.start).toISOString()} lies outside ${periodDay}`);
    const slot = Math.floor((record.start - span.from) / step);
    const sum = sums.get(slot) ?? { start: record.start, end: record.end, integrals: new Map<string, bigint>() };
    sum.start = Math.min(sum.start, record.start);
    sum.end = Math.max(sum.end, record.end);
    for (const [resource, value] of record.integrals) sum.integrals.set(resource, (sum.integrals.get(resource) ?? 0n) + value);
    sums.set(slot, sum);
  }
  const buckets: UsageBucket[] = [...sums]
    .sort(([a], [b]) => a - b)
    .map(([, s]) => ({
      start: s.start - span.from,
      end: s.end - span.from,
      batch: COMPACTED_BATCH,
      integrals: Object.fromEntries([...s.integrals].map(([k, v]) => [k, v.toString()])),
    }));
  return spaceUsageObject(ref, { organization, tenant, space, period: into, day: periodDay, buckets }, into === 'day' ? day : monthOf(day));
}
