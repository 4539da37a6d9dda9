import type { MeterRecord, TimeSpan } from './records.ts';

/** What {@link MeterStore.read} found. */
export interface MeterReadResult {
  /** The records overlapping the requested span, in the order they were appended. */
  readonly records: MeterRecord[];
  /** Records that could not be read (e.g. a line torn by a crash mid-append) and were skipped. */
  readonly unreadable: number;
}

/**
 * Where a meter keeps its records: the seam for replacing the local file store with a
 * time-series backend. Records are only ever appended; a report sums whatever overlaps its window,
 * so appending two records for the same Space and bucket (a restart within a bucket) is fine.
 */
export interface MeterStore {
  /**
   * Appends records in order, as one write where the backend allows it. The meter passes bucket
   * records before the coverage record that vouches for them, so that a write cut short loses the
   * coverage first: the time then shows as a gap instead of as measured zero usage.
   */
  append(records: readonly MeterRecord[]): Promise<void>;
  /**
   * Reads the records overlapping `[from, to)`: buckets with `start < to && end > from`,
   * coverage with `from < to && to > from`.
   */
  read(from: number, to: number): Promise<MeterReadResult>;
  /**
   * The start of the earliest and the end of the latest coverage held, or `undefined` when there
   * is none. Reports use it to tell "before metering started" from a gap; a meter starting up uses
   * its end so that it never counts a millisecond twice, even if the clock went back.
   */
  coverageExtent(): Promise<TimeSpan | undefined>;
}
