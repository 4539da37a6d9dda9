import { ValidationError } from '../errors.ts';
import type { BucketRecord, MeteredSpace, TimeSpan, UsageRecord } from './records.ts';
import { mergeSpans } from './spans.ts';
import { parseUsage, type SampleUsage } from './usage.ts';

/**
 * The time a sample taken at `time` stands for: `[time, min(time + intervalMs, nextSampleTime))`.
 *
 * A sample is held for at most one interval, so that time the meter did not look at
 * (it was stopped, blocked, or the source failed) is a gap rather than a guess.
 * The span is empty when the next sample is not later than this one.
 */
export function heldSpan(time: number, intervalMs: number, nextSampleTime = Number.POSITIVE_INFINITY): TimeSpan {
  const to = Math.min(time + intervalMs, nextSampleTime);
  return { from: time, to: Math.max(time, to) };
}

interface OpenRecord {
  readonly ref: MeteredSpace;
  start: number;
  end: number;
  readonly integrals: Map<string, bigint>;
}

/**
 * Integrates usage into per-Space buckets of `bucketMs`, aligned to the epoch.
 *
 * Integrals are exact: milli-units × milliseconds as bigint. A span that crosses a bucket
 * boundary is split at it, each bucket receiving exactly its own milliseconds.
 */
export class BucketAccumulator {
  /** The bucket length in milliseconds. */
  readonly bucketMs: number;
  readonly #buckets = new Map<number, Map<string, OpenRecord>>();

  constructor(bucketMs: number) {
    this.bucketMs = bucketMs;
  }

  /** Adds `usage` held constant over `span` (whole milliseconds). */
  add(usage: SampleUsage, span: TimeSpan): void {
    if (span.to <= span.from) return;
    for (let bucket = Math.floor(span.from / this.bucketMs) * this.bucketMs; bucket < span.to; bucket += this.bucketMs) {
      const from = Math.max(span.from, bucket);
      const to = Math.min(span.to, bucket + this.bucketMs);
      const milliseconds = BigInt(to - from);
      let records = this.#buckets.get(bucket);
      if (records === undefined) {
        records = new Map();
        this.#buckets.set(bucket, records);
      }
      for (const [key, { ref, quantities }] of usage) {
        let record = records.get(key);
        if (record === undefined) {
          record = { ref, start: from, end: to, integrals: new Map() };
          records.set(key, record);
        }
        record.start = Math.min(record.start, from);
        record.end = Math.max(record.end, to);
        for (const [resource, milli] of quantities) {
          record.integrals.set(resource, (record.integrals.get(resource) ?? 0n) + milli * milliseconds);
        }
      }
    }
  }

  /**
   * Removes and returns the records of every bucket that ends at or before `cutoff`
   * (all of them for `Infinity`), ordered by bucket, then organization, tenant and space.
   */
  take(cutoff = Number.POSITIVE_INFINITY): BucketRecord[] {
    const taken: BucketRecord[] = [];
    for (const bucket of [...this.#buckets.keys()].sort((a, b) => a - b)) {
      if (bucket + this.bucketMs > cutoff) continue;
      const records = this.#buckets.get(bucket) ?? new Map<string, OpenRecord>();
      for (const key of [...records.keys()].sort()) {
        const record = records.get(key);
        if (record === undefined) continue;
        taken.push({ type: 'bucket', ...record.ref, start: record.start, end: record.end, integrals: record.integrals });
      }
      this.#buckets.delete(bucket);
    }
    return taken;
  }
}

/** What a source reported at one instant. */
export interface UsageSample {
  /** When the sample was taken, in whole milliseconds since the epoch. */
  readonly time: number;
  readonly records: readonly UsageRecord[];
}

/** Options for {@link integrateSamples}. */
export interface IntegrateOptions {
  /** The nominal sampling interval: the longest a sample is held. */
  readonly intervalMs: number;
  /** The bucket length. */
  readonly bucketMs: number;
  /** When metering stopped; the last sample is held until then at most. Default: a full interval. */
  readonly until?: number;
}

/** Buckets and the time they cover, as {@link integrateSamples} computes them. */
export interface SampleIntegration {
  readonly buckets: BucketRecord[];
  /** The measured time, merged; everything else is a gap. */
  readonly coverage: TimeSpan[];
}

/**
 * Integrates a recorded series of samples: the meter's semantics as one pure function.
 *
 * @throws {ValidationError} when the interval or bucket length is not a positive whole number of milliseconds, sample
 *   times are not whole, strictly increasing milliseconds, or a sample is invalid (see {@link parseUsage}).
 */
export function integrateSamples(samples: readonly UsageSample[], options: IntegrateOptions): SampleIntegration {
  for (const field of ['intervalMs', 'bucketMs'] as const) {
    if (!Number.isSafeInteger(options[field]) || options[field] <= 0) {
      throw new ValidationError('integration options', [
        { path: field, message: `${options[field]} is not a positive whole number of milliseconds; use e.g. 60000 for one minute` },
      ]);
    }
  }
  const accumulator = new BucketAccumulator(options.bucketMs);
  const coverage: TimeSpan[] = [];
  samples.forEach((sample, index) => {
    const previous = samples[index - 1];
    if (!Number.isSafeInteger(sample.time) || (previous !== undefined && sample.time <= previous.time)) {
      throw new ValidationError('usage samples', [
        { path: `[${index}].time`, message: 'sample times must be whole milliseconds, strictly increasing; sort the samples' },
      ]);
    }
    const span = heldSpan(sample.time, options.intervalMs, samples[index + 1]?.time ?? options.until);
    accumulator.add(parseUsage(sample.records), span);
    coverage.push(span);
  });
  return { buckets: accumulator.take(), coverage: mergeSpans(coverage) };
}
