/** Exponential backoff: the first wait, doubled after each further failure up to the largest. */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/**
 * How long to wait before retry number `attempt` (1 for the first): `initialMs`, doubled per
 * earlier attempt, at most `maxMs`.
 *
 * @example
 * ```ts
 * [1, 2, 3, 4].map((n) => backoffDelay({ initialMs: 250, maxMs: 1_000 }, n)); // [250, 500, 1000, 1000]
 * ```
 */
export function backoffDelay(backoff: Backoff, attempt: number): number {
  return Math.min(backoff.initialMs * 2 ** (Math.max(1, attempt) - 1), backoff.maxMs);
}
