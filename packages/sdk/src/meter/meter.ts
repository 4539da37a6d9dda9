import { ValidationError, type ValidationIssue } from '../errors.ts';
import { BucketAccumulator, heldSpan } from './integrate.ts';
import type { CoverageRecord, TimeSpan, UsageRecord } from './records.ts';
import { clipSpans, mergeSpans } from './spans.ts';
import type { MeterStore } from './store.ts';
import { parseUsage, type SampleUsage } from './usage.ts';

const DAY_MS = 24 * 3_600_000;

/** Options for {@link Meter}. */
export interface MeterOptions {
  /** Where buckets and coverage go, e.g. a {@link FileMeterStore}. */
  readonly store: MeterStore;
  /** Reads every Space's current quota usage; called once per interval. */
  readonly source: () => Promise<readonly UsageRecord[]> | readonly UsageRecord[];
  /** How often to sample, and the longest a sample is held. Default 60 000 (one minute). */
  readonly intervalMs?: number;
  /** The bucket length: the report's time resolution and the write cadence. Must divide a day. Default 3 600 000 (one hour). */
  readonly bucketMs?: number;
  /** The clock, in milliseconds since the epoch. Default `Date.now`. */
  readonly now?: () => number;
  /** Told about a failed sample or write; the meter keeps running. Default: written to stderr. */
  readonly onError?: (error: unknown) => void;
}

/**
 * Samples usage on a fixed interval and integrates it into resource-minutes per Space, written to a
 * {@link MeterStore} in buckets.
 *
 * A sample stands for at most one interval after it was taken (see {@link heldSpan}). Whenever the
 * meter is stopped, blocked, or its source fails, the time is a gap: it is left out of the totals and
 * listed by the report, never filled in. Each write carries coverage records saying exactly which
 * time its buckets measured, so that time lost in a crash (buckets still open in memory) is a gap too.
 */
export class Meter {
  /** The sampling interval in milliseconds. */
  readonly intervalMs: number;
  /** The bucket length in milliseconds. */
  readonly bucketMs: number;
  readonly #store: MeterStore;
  readonly #source: MeterOptions['source'];
  readonly #now: () => number;
  readonly #onError: (error: unknown) => void;
  readonly #accumulator: BucketAccumulator;
  #last: { readonly time: number; readonly usage: SampleUsage } | undefined;
  #lastTickAt = 0;
  /** Measured time whose buckets are not written yet. */
  #covered: TimeSpan[] = [];
  /** Nothing before this instant is integrated again, so no millisecond counts twice. */
  #watermark = Number.NEGATIVE_INFINITY;
  #running = false;
  #timer: NodeJS.Timeout | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  /** @throws {ValidationError} when `intervalMs` or `bucketMs` is not a positive whole number, or `bucketMs` does not divide a day. */
  constructor(options: MeterOptions) {
    this.intervalMs = options.intervalMs ?? 60_000;
    this.bucketMs = options.bucketMs ?? 3_600_000;
    validateOptions(this.intervalMs, this.bucketMs);
    this.#store = options.store;
    this.#source = options.source;
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError ?? ((error) => console.error('spacekit meter:', error));
    this.#accumulator = new BucketAccumulator(this.bucketMs);
  }

  /**
   * Takes a first sample at once, then one per interval until {@link Meter.stop}. The timer never
   * keeps the process alive. Starting a running meter does nothing.
   *
   * @throws when the store cannot be read (the meter is then not started).
   */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      await this.#serial(async () => {
        const extent = await this.#store.coverageExtent();
        if (extent !== undefined) this.#watermark = Math.max(this.#watermark, extent.to);
      });
    } catch (error) {
      this.#running = false;
      throw error;
    }
    await this.tick();
    this.#schedule();
  }

  /**
   * Takes one sample now: ends the previous sample's hold, samples the source, and writes every
   * bucket the clock has moved past. Failures go to `onError`; the sample is then skipped (a gap).
   * The timer calls this; tests and hosts with their own scheduling can call it directly.
   */
  tick(): Promise<void> {
    return this.#serial(async () => {
      const time = Math.floor(this.#now());
      this.#lastTickAt = time;
      this.#closeLastSample(time);
      try {
        this.#last = { time, usage: parseUsage(await this.#source()) };
      } catch (error) {
        this.#report(error);
      }
      try {
        await this.#flush(Math.floor(time / this.bucketMs) * this.bucketMs);
      } catch (error) {
        this.#report(error);
      }
    });
  }

  /**
   * Stops sampling: the last sample is held until now (at most one interval), and every open bucket
   * is written with its coverage. Resolves once written; the meter can be started again later.
   *
   * @throws the store's error when the final write fails; that time then shows as a gap.
   */
  stop(): Promise<void> {
    this.#running = false;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    return this.#serial(async () => {
      this.#closeLastSample(Math.floor(this.#now()));
      this.#last = undefined;
      await this.#flush(Number.POSITIVE_INFINITY);
    });
  }

  #closeLastSample(time: number): void {
    const last = this.#last;
    this.#last = undefined;
    if (last === undefined) return;
    const held = heldSpan(last.time, this.intervalMs, time);
    const span = { from: Math.max(held.from, this.#watermark), to: held.to };
    if (span.to <= span.from) return;
    this.#accumulator.add(last.usage, span);
    this.#covered = mergeSpans([...this.#covered, span]);
    this.#watermark = span.to;
  }

  /** Writes the buckets that end by `cutoff` (a bucket boundary) with the coverage they measured. */
  async #flush(cutoff: number): Promise<void> {
    const buckets = this.#accumulator.take(cutoff);
    const coverage = clipSpans(this.#covered, { from: Number.NEGATIVE_INFINITY, to: cutoff });
    this.#covered = clipSpans(this.#covered, { from: cutoff, to: Number.POSITIVE_INFINITY });
    if (buckets.length === 0 && coverage.length === 0) return;
    // Dropped rather than retried if the write fails: a retry after a partial write could count
    // buckets twice, while losing both the buckets and their coverage shows honestly as a gap.
    const coverageRecords = coverage.map((span): CoverageRecord => ({ type: 'coverage', ...span }));
    await this.#store.append([...buckets, ...coverageRecords]);
  }

  #schedule(): void {
    if (!this.#running) return;
    // Timers fire a little late; aiming early keeps consecutive samples within one interval of each
    // other, so that timer jitter does not leave millisecond gaps between every pair of samples.
    const slack = Math.min(1_000, Math.floor(this.intervalMs / 10));
    const delay = Math.max(0, this.#lastTickAt + this.intervalMs - slack - this.#now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.tick().finally(() => this.#schedule());
    }, delay);
    this.#timer.unref();
  }

  #report(error: unknown): void {
    try {
      this.#onError(error);
    } catch {
      // A throwing error handler must not stop the meter; there is nobody left to tell.
    }
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function validateOptions(intervalMs: number, bucketMs: number): void {
  const issues: ValidationIssue[] = [];
  if (!Number.isSafeInteger(intervalMs) || intervalMs <= 0) {
    issues.push({
      path: 'intervalMs',
      message: `${intervalMs} is not a positive whole number of milliseconds; use e.g. 60000 for one minute`,
    });
  }
  if (!Number.isSafeInteger(bucketMs) || bucketMs <= 0 || DAY_MS % bucketMs !== 0) {
    issues.push({
      path: 'bucketMs',
      message: `${bucketMs} does not divide a day into whole milliseconds; use e.g. 3600000 (1h), 60000 (1m) or 1000 (1s), so that buckets never cross midnight`,
    });
  }
  if (issues.length > 0) throw new ValidationError('meter options', issues);
}
