import {
  COMPACTED_BATCH,
  GROUP_VERSION,
  LABELS,
  MANAGER,
  MAX_BUCKETS_PER_OBJECT,
  METER_SHARD_LABEL,
  type MeterCoverageSpec,
  MeterCoverageSpecSchema,
  organizationNamespace,
  spaceNamespace,
  type SpaceUsageSpec,
  SpaceUsageSpecSchema,
  tenantNamespace,
  USAGE_PERIOD_LABEL,
  type UsageBucket,
} from '../model/index.ts';
import type { BucketRecord, CoverageRecord, MeteredSpace, TimeSpan } from './records.ts';
import { mergeSpans } from './spans.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A SpaceUsage object as stored. */
export interface SpaceUsageObject {
  apiVersion: string;
  kind: 'SpaceUsage';
  metadata: { name: string; namespace: string; labels?: Record<string, string>; resourceVersion?: string };
  spec: SpaceUsageSpec;
}

/** A MeterCoverage object as stored. */
export interface MeterCoverageObject {
  apiVersion: string;
  kind: 'MeterCoverage';
  metadata: { name: string; labels?: Record<string, string>; resourceVersion?: string };
  spec: MeterCoverageSpec;
}

/** Where one object lives. */
export interface ObjectRef {
  namespace: string;
  name: string;
}

/** The UTC day an instant falls in, `2026-12-04`. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** 00:00 UTC of a day, in ms since the epoch. */
export function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`);
}

/** Every UTC day that `[from, to)` touches, oldest first. */
export function daysOf({ from, to }: TimeSpan): string[] {
  const days: string[] = [];
  for (let start = dayStart(dayOf(from)); start < to; start += DAY_MS) days.push(dayOf(start));
  return days;
}

/**
 * Where a Space's usage of one UTC hour may live, in order: the Space's own
 * namespace, so that its members and the tenant's and organization's
 * members bound there read it with the rights they have; once that
 * namespace is gone (the Space was deleted), its tenant's namespace, and
 * then its organization's. A name says whose usage it is, so that the
 * archived objects of several Spaces do not collide.
 */
export function usageRefs(space: MeteredSpace, day: string, hour: number): ObjectRef[] {
  const name = `usage-${day}-${String(hour).padStart(2, '0')}`;
  return [
    { namespace: spaceNamespace(space.organization, space.tenant, space.space), name },
    { namespace: tenantNamespace(space.organization, space.tenant), name: `${space.space}.${name}` },
    { namespace: organizationNamespace(space.organization), name: `${space.tenant}.${space.space}.${name}` },
  ];
}

/**
 * A SpaceUsage at `ref`: its labels say whose usage it is and which period it holds (`period`, a
 * day or a month), so that reports select it by label.
 */
export function spaceUsageObject(ref: ObjectRef, spec: SpaceUsageSpec, period: string): SpaceUsageObject {
  return {
    apiVersion: GROUP_VERSION,
    kind: 'SpaceUsage',
    metadata: {
      name: ref.name,
      namespace: ref.namespace,
      labels: {
        [LABELS.managedBy]: MANAGER,
        [LABELS.organization]: spec.organization,
        [LABELS.tenant]: spec.tenant,
        [LABELS.space]: spec.space,
        [USAGE_PERIOD_LABEL]: period,
      },
    },
    spec,
  };
}

/** A new SpaceUsage of one hour at `ref` holding `buckets`. */
export function newSpaceUsage(ref: ObjectRef, space: MeteredSpace, day: string, hour: number, buckets: UsageBucket[]): SpaceUsageObject {
  const { organization, tenant, space: name } = space;
  return spaceUsageObject(ref, { organization, tenant, space: name, period: 'hour', day, hour, buckets: withBuckets([], buckets) }, day);
}

/**
 * `live`'s buckets with `added` after them, in time order.
 *
 * @throws {RangeError} when the hour would hold more than {@link MAX_BUCKETS_PER_OBJECT}
 *   buckets (a meter restarted more than three times a minute for an hour); the write
 *   then fails and its time shows as a gap rather than the object growing without bound.
 */
export function withBuckets(live: readonly UsageBucket[], added: readonly UsageBucket[]): UsageBucket[] {
  const all = [...live, ...added].sort((a, b) => a.start - b.start || a.end - b.end);
  if (all.length > MAX_BUCKETS_PER_OBJECT) {
    throw new RangeError(`a SpaceUsage holds at most ${MAX_BUCKETS_PER_OBJECT} buckets; this write would make ${all.length}`);
  }
  return all;
}

/** The name of a meter shard's MeterCoverage of a day: `all.2026-12-04`. */
export function coverageName(shard: string, day: string): string {
  return `${shard}.${day}`;
}

/** A MeterCoverage of `shard` for `day` holding `spans` (offsets in the day, merged) and the committed `batches`. */
export function newMeterCoverage(shard: string, day: string, spans: readonly TimeSpan[], batches: readonly string[]): MeterCoverageObject {
  return {
    apiVersion: GROUP_VERSION,
    kind: 'MeterCoverage',
    metadata: {
      name: coverageName(shard, day),
      labels: { [LABELS.managedBy]: MANAGER, [USAGE_PERIOD_LABEL]: day, [METER_SHARD_LABEL]: shard },
    },
    spec: { day, shard, spans: mergeSpans(spans).map(({ from, to }) => ({ from, to })), batches: [...new Set(batches)] },
  };
}

/** One Space's buckets of one UTC hour, as one SpaceUsage write takes them. */
export interface HourGroup {
  space: MeteredSpace;
  day: string;
  hour: number;
  buckets: UsageBucket[];
}

/**
 * The buckets worth keeping, grouped by Space and UTC hour, stamped with the
 * write they come in. A bucket of nothing but zeros is left out: covered
 * time without a bucket already reads as zero usage, so an idle Space costs
 * no writes.
 *
 * @throws {RangeError} when a bucket crosses the hour (the meter's bucket length must divide an hour).
 */
export function bucketsBySpaceHour(records: readonly BucketRecord[], batch: string): HourGroup[] {
  const groups = new Map<string, HourGroup>();
  for (const r of records) {
    if ([...r.integrals.values()].every((v) => v === 0n)) continue;
    const hourStart = Math.floor(r.start / HOUR_MS) * HOUR_MS;
    if (r.end > hourStart + HOUR_MS) {
      throw new RangeError(
        `a bucket may not cross the hour (${new Date(r.start).toISOString()}); use a bucket length that divides an hour`,
      );
    }
    const day = dayOf(r.start);
    const base = dayStart(day);
    const hour = (hourStart - base) / HOUR_MS;
    const key = JSON.stringify([r.organization, r.tenant, r.space, day, hour]);
    const group = groups.get(key) ?? { space: { organization: r.organization, tenant: r.tenant, space: r.space }, day, hour, buckets: [] };
    group.buckets.push({
      start: r.start - base,
      end: r.end - base,
      batch,
      integrals: Object.fromEntries([...r.integrals].filter(([, v]) => v !== 0n).map(([k, v]) => [k, v.toString()])),
    });
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** Coverage records as spans per day (offsets in the day), split at midnight UTC. */
export function coverageByDay(records: readonly CoverageRecord[]): Map<string, TimeSpan[]> {
  const byDay = new Map<string, TimeSpan[]>();
  for (const r of records) {
    for (let from = r.from; from < r.to; ) {
      const day = dayOf(from);
      const base = dayStart(day);
      const to = Math.min(r.to, base + DAY_MS);
      const spans = byDay.get(day) ?? [];
      spans.push({ from: from - base, to: to - base });
      byDay.set(day, spans);
      from = to;
    }
  }
  return byDay;
}

/**
 * A stored SpaceUsage's buckets as meter records, with absolute times:
 * only those of a committed write, or written by compaction (from committed
 * ones). A bucket whose write was cut short (the meter died before it wrote
 * the coverage) is left out, because the next meter measures that time again.
 */
export function recordsOf(usage: SpaceUsageObject, committed: ReadonlySet<string>): BucketRecord[] | undefined {
  const parsed = SpaceUsageSpecSchema.safeParse(usage.spec);
  return parsed.success ? specRecords(parsed.data, committed) : undefined;
}

/** {@link recordsOf} of a spec already checked against the schema. */
export function specRecords(spec: SpaceUsageSpec, committed: ReadonlySet<string>): BucketRecord[] {
  const { organization, tenant, space, day, buckets } = spec;
  const base = dayStart(day);
  return buckets
    .filter((b) => b.batch === COMPACTED_BATCH || committed.has(b.batch))
    .map((b) => ({
      type: 'bucket',
      organization,
      tenant,
      space,
      start: base + b.start,
      end: base + b.end,
      integrals: new Map(Object.entries(b.integrals).map(([k, v]) => [k, BigInt(v)])),
    }));
}

/** A stored MeterCoverage as coverage records with absolute times, and its committed writes. */
export function coverageOf(coverage: MeterCoverageObject): { records: CoverageRecord[]; batches: string[] } {
  const parsed = MeterCoverageSpecSchema.safeParse(coverage.spec);
  if (!parsed.success) return { records: [], batches: [] };
  const base = dayStart(parsed.data.day);
  return {
    records: parsed.data.spans.map((s) => ({ type: 'coverage', from: base + s.from, to: base + s.to })),
    batches: parsed.data.batches,
  };
}
