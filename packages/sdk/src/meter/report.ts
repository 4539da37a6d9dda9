import { ValidationError } from '../errors.ts';
import { compareText } from './compare.ts';
import type { BucketRecord, MeterRecord, TimeSpan } from './records.ts';
import { clipSpans, mergeSpans, spanLength, uncoveredSpans } from './spans.ts';
import type { MeterStore } from './store.ts';
import { compareResources } from './units.ts';

/** The level a report sums to. */
export type ReportLevel = 'space' | 'tenant' | 'organization';

/** Options for {@link buildReport}. */
export interface ReportOptions {
  /** The window's start, in milliseconds since the epoch (inclusive). */
  readonly from: number;
  /** The window's end (exclusive). */
  readonly to: number;
  readonly by: ReportLevel;
  /**
   * The store's {@link MeterStore.coverageExtent}, to tell time before metering started from a gap.
   * Default: the extent of the coverage in the records, which is right only when they are all the store holds.
   */
  readonly extent?: TimeSpan | undefined;
  /** How many records the store could not read; shown as a warning. Default 0. */
  readonly unreadable?: number;
}

/**
 * Why part of the window has no data:
 * - `before-metering`: before the earliest coverage the store holds;
 * - `not-metered`: the meter was stopped or crashed, or a sample failed;
 * - `not-yet-written`: after the latest coverage, where a running meter has not written its open
 *   bucket yet (it writes once per bucket) or the meter is stopped.
 */
export type GapKind = 'before-metering' | 'not-metered' | 'not-yet-written';

/** A span of the window without data; the totals exclude it. */
export interface ReportGap extends TimeSpan {
  readonly kind: GapKind;
  readonly durationMs: number;
}

/** The totals of one Space, Tenant or Organization. */
export interface ReportRow {
  readonly organization: string;
  /** Set when the report is by tenant or by space. */
  readonly tenant?: string;
  /** Set when the report is by space. */
  readonly space?: string;
  /** Resource → integral in milli-units × milliseconds; convert with {@link integralInUnits}. */
  readonly integrals: ReadonlyMap<string, bigint>;
}

/** Usage totals over a window, with how much of the window was measured. */
export interface UsageReport {
  readonly window: TimeSpan;
  readonly by: ReportLevel;
  /** Milliseconds of the window the meter measured. */
  readonly coveredMs: number;
  /** `coveredMs` as a percentage of the window. */
  readonly coveragePercent: number;
  /** The unmeasured spans of the window, in order. */
  readonly gaps: readonly ReportGap[];
  /** Every resource in the rows, in report order (CPU, memory, others). */
  readonly resources: readonly string[];
  /** Sorted by organization, tenant, space. */
  readonly rows: readonly ReportRow[];
  /** Records the store could not read and that are therefore not counted. */
  readonly unreadable: number;
}

/**
 * Sums bucket integrals over `[from, to)` per Space, Tenant or Organization.
 *
 * The bucket length is the time resolution: a bucket record that straddles a window edge counts in
 * proportion to its overlap, as if its usage were spread evenly over the time it measured (rounded to
 * the nearest milli-unit-millisecond). Everything else is exact. Time no coverage record vouches for
 * is listed in `gaps` and contributes nothing.
 *
 * @throws {ValidationError} when the window is not whole milliseconds with `from` before `to`.
 */
export function buildReport(records: readonly MeterRecord[], options: ReportOptions): UsageReport {
  const window = checkedWindow(options);
  const coverage = records.filter((record) => record.type === 'coverage');
  const covered = mergeSpans(clipSpans(coverage, window));
  const coveredMs = spanLength(covered);
  const extent = options.extent ?? extentOf(coverage);
  const rows = sumRows(
    records.filter((record) => record.type === 'bucket'),
    window,
    options.by,
  );
  const resources = new Set(rows.flatMap((row) => [...row.integrals.keys()]));
  return {
    window,
    by: options.by,
    coveredMs,
    coveragePercent: (coveredMs / (window.to - window.from)) * 100,
    gaps: uncoveredSpans(covered, window).flatMap((gap) => classify(gap, extent)),
    resources: [...resources].sort(compareResources),
    rows,
    unreadable: options.unreadable ?? 0,
  };
}

/** Options for {@link readReport}. */
export interface ReadReportOptions {
  /** The window's start, in milliseconds since the epoch (inclusive). */
  readonly from: number;
  /** The window's end (exclusive). */
  readonly to: number;
  readonly by: ReportLevel;
}

/**
 * Reads the records of a window from `store` and builds its {@link UsageReport}.
 *
 * @throws {ValidationError} when the window is not whole milliseconds with `from` before `to`.
 */
export async function readReport(store: MeterStore, options: ReadReportOptions): Promise<UsageReport> {
  checkedWindow(options);
  const [{ records, unreadable }, extent] = await Promise.all([store.read(options.from, options.to), store.coverageExtent()]);
  return buildReport(records, { ...options, extent, unreadable });
}

function checkedWindow({ from, to }: TimeSpan): TimeSpan {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from >= to) {
    throw new ValidationError('report window', [
      {
        path: '',
        message:
          'the window must start before it ends, in whole milliseconds; e.g. the last 7 days: { from: now - 7 * 86_400_000, to: now }',
      },
    ]);
  }
  return { from, to };
}

function sumRows(buckets: readonly BucketRecord[], window: TimeSpan, by: ReportLevel): ReportRow[] {
  const rows = new Map<string, { organization: string; tenant?: string; space?: string; integrals: Map<string, bigint> }>();
  for (const bucket of buckets) {
    const overlap = Math.min(bucket.end, window.to) - Math.max(bucket.start, window.from);
    const length = bucket.end - bucket.start;
    if (overlap <= 0 || length <= 0) continue;
    const identity = {
      organization: bucket.organization,
      ...(by !== 'organization' && { tenant: bucket.tenant }),
      ...(by === 'space' && { space: bucket.space }),
    };
    const key = JSON.stringify([identity.organization, identity.tenant, identity.space]);
    let row = rows.get(key);
    if (row === undefined) {
      row = { ...identity, integrals: new Map() };
      rows.set(key, row);
    }
    for (const [resource, integral] of bucket.integrals) {
      const share = overlap === length ? integral : prorate(integral, BigInt(overlap), BigInt(length));
      row.integrals.set(resource, (row.integrals.get(resource) ?? 0n) + share);
    }
  }
  return [...rows.values()].sort(
    (a, b) =>
      compareText(a.organization, b.organization) ||
      compareText(a.tenant ?? '', b.tenant ?? '') ||
      compareText(a.space ?? '', b.space ?? ''),
  );
}

/** integral × part / whole, rounded half up (integrals are never negative). */
function prorate(integral: bigint, part: bigint, whole: bigint): bigint {
  return (integral * part * 2n + whole) / (whole * 2n);
}

function extentOf(coverage: readonly TimeSpan[]): TimeSpan | undefined {
  if (coverage.length === 0) return undefined;
  return coverage.reduce((extent, span) => ({ from: Math.min(extent.from, span.from), to: Math.max(extent.to, span.to) }));
}

/** Splits a gap at the store's first and last coverage, which change what the gap means. */
function classify(gap: TimeSpan, extent: TimeSpan | undefined): ReportGap[] {
  const pieces: ReportGap[] = [];
  const add = (from: number, to: number, kind: GapKind): void => {
    if (to > from) pieces.push({ from, to, kind, durationMs: to - from });
  };
  if (extent === undefined) {
    add(gap.from, gap.to, 'before-metering');
    return pieces;
  }
  add(gap.from, Math.min(gap.to, extent.from), 'before-metering');
  add(Math.max(gap.from, extent.from), Math.min(gap.to, extent.to), 'not-metered');
  add(Math.max(gap.from, extent.to), gap.to, 'not-yet-written');
  return pieces;
}
