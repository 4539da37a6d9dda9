import { type Backoff, backoffDelay } from '../util/backoff.ts';

/** What processing one key asked for. */
export interface ProcessResult {
  /** Process the key again after this long, even with no event: a deadline (an expiry) is due then. */
  requeueAfterMs?: number;
}

/** How one attempt at a key ended, for logs and metrics. */
export type AttemptEnd =
  | { result: 'done'; key: string; durationMs: number }
  | { result: 'retry'; key: string; durationMs: number; error: unknown; attempt: number; retryInMs: number }
  | { result: 'gave-up'; key: string; durationMs: number; error: unknown; attempt: number };

/** Options for {@link WorkQueue}. */
export interface WorkQueueOptions {
  /** Keys processed at once (each key by one worker at a time). */
  workers: number;
  /** Attempts before a failing key is dropped until its next event. */
  maxAttempts: number;
  /** First retry delay, doubled per failure up to `maxMs`. */
  backoff: Backoff;
  process: (key: string) => Promise<ProcessResult | undefined>;
  onAttempt?: (end: AttemptEnd) => void;
}

// setTimeout holds at most 2^31-1 ms (about 24.8 days); a longer deadline is re-armed when this one fires.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A work queue in the manner of client-go's: keys, not events, are queued,
 * so a burst of changes to one object is processed once; a key is never
 * processed by two workers at once, and one that changes while being
 * processed is processed again afterwards; failures are retried with
 * exponential backoff up to a bound, after which the key is dropped (and
 * reported) until something changes again. Keys wait in arrival order.
 */
export class WorkQueue {
  readonly #options: WorkQueueOptions;
  readonly #queue: string[] = [];
  readonly #queued = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #dirty = new Set<string>();
  readonly #attempts = new Map<string, number>();
  readonly #timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  #wake: (() => void) | undefined;
  #stopped = false;
  #workers: Promise<void>[] = [];

  constructor(options: WorkQueueOptions) {
    this.#options = options;
  }

  /** Keys waiting to be processed (not counting those being processed or waiting for a retry). */
  get depth(): number {
    return this.#queue.length;
  }

  /** Keys being processed right now. */
  get busy(): number {
    return this.#processing.size;
  }

  /** Queues `key`, unless it is already waiting; a key being processed is processed once more when it is done. */
  add(key: string): void {
    if (this.#stopped) return;
    if (this.#processing.has(key)) {
      this.#dirty.add(key);
      return;
    }
    if (this.#queued.has(key)) return;
    this.#queued.add(key);
    this.#queue.push(key);
    this.#wake?.();
  }

  /** Queues `key` after `delayMs`; of several pending delays for one key the earliest wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.#stopped) return;
    const at = Date.now() + Math.max(0, delayMs);
    const pending = this.#timers.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(
      () => {
        this.#timers.delete(key);
        if (at > Date.now() + 1) this.addAfter(key, at - Date.now());
        else this.add(key);
      },
      Math.min(Math.max(0, delayMs), MAX_TIMER_MS),
    );
    this.#timers.set(key, { at, timer });
  }

  /** Starts the workers. */
  start(): void {
    for (let i = 0; i < this.#options.workers; i++) this.#workers.push(this.#work());
  }

  /** Stops taking keys, cancels pending delays and waits for the keys being processed to finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const { timer } of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    this.#wake?.();
    await Promise.all(this.#workers);
  }

  async #next(): Promise<string | undefined> {
    while (!this.#stopped) {
      const key = this.#queue.shift();
      if (key !== undefined) {
        this.#queued.delete(key);
        return key;
      }
      await new Promise<void>((resolve) => {
        const previous = this.#wake;
        this.#wake = () => {
          this.#wake = undefined;
          previous?.();
          resolve();
        };
      });
    }
    return undefined;
  }

  async #work(): Promise<void> {
    for (let key = await this.#next(); key !== undefined; key = await this.#next()) {
      this.#processing.add(key);
      const started = performance.now();
      try {
        const result = await this.#options.process(key);
        this.#attempts.delete(key);
        this.#options.onAttempt?.({ result: 'done', key, durationMs: performance.now() - started });
        if (result?.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
      } catch (error) {
        const attempt = (this.#attempts.get(key) ?? 0) + 1;
        const durationMs = performance.now() - started;
        if (attempt >= this.#options.maxAttempts) {
          this.#attempts.delete(key);
          this.#options.onAttempt?.({ result: 'gave-up', key, durationMs, error, attempt });
        } else {
          this.#attempts.set(key, attempt);
          const retryInMs = backoffDelay(this.#options.backoff, attempt);
          this.#options.onAttempt?.({ result: 'retry', key, durationMs, error, attempt, retryInMs });
          this.addAfter(key, retryInMs);
        }
      } finally {
        this.#processing.delete(key);
        if (this.#dirty.delete(key)) this.add(key);
      }
    }
  }
}
