// How long metered usage is kept (ADR 0018). No imports: the CLI checks its flags with it at parse time.

const DAY_MS = 86_400_000;

/** How long metered usage is kept at each resolution. */
export interface RetentionPolicy {
  /** How long an hour's object keeps the meter's own buckets (a minute by default) before its day is rolled into hour buckets. */
  readonly minutesForMs: number;
  /** How long a day's object keeps hour buckets before its month is rolled into day buckets. */
  readonly hoursForMs: number;
  /** How long usage is kept at all; older days, and their coverage, are deleted. */
  readonly retentionMs: number;
}

/** Two days of minutes, five weeks of hours, and 400 days in all (a year, compared month by month with the year before). */
export const DEFAULT_RETENTION: RetentionPolicy = { minutesForMs: 2 * DAY_MS, hoursForMs: 35 * DAY_MS, retentionMs: 400 * DAY_MS };

/**
 * The retention with `overrides` applied, checked: each resolution is kept no longer than the next,
 * and minutes for at least a day, so that the open day is never compacted.
 *
 * @throws {RangeError} naming the setting that is out of order.
 */
export function retentionPolicy(overrides: Partial<RetentionPolicy> = {}): RetentionPolicy {
  const policy = { ...DEFAULT_RETENTION, ...overrides };
  if (policy.minutesForMs < DAY_MS) throw new RangeError('minute buckets must be kept for at least a day (1d)');
  if (policy.hoursForMs < policy.minutesForMs) throw new RangeError('hour buckets must be kept at least as long as minute buckets');
  if (policy.retentionMs < policy.hoursForMs) throw new RangeError('the retention must be at least as long as hour buckets are kept');
  return policy;
}
