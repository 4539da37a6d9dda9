import { z } from 'zod';
// The metered-usage objects (ADR 0017): what the meter writes into the cluster, so that members read it with their own rights.

const DAY_MS = 86_400_000;

/**
 * The most buckets one SpaceUsage holds: an hour at minute resolution, four
 * times over (a meter restart or a leader change within a minute splits its
 * bucket). An hour's object therefore stays under about 40 KiB, whatever
 * the Space runs (ADR 0017).
 */
export const MAX_BUCKETS_PER_OBJECT = 4 * 60;

/**
 * The label that says which period a usage object holds: its UTC day (`2026-12-04`) for an hour's
 * or a day's object and for coverage, its UTC month (`2026-12`) for a month's. Reports select by it.
 */
export const USAGE_PERIOD_LABEL = 'spacekit.dev/usage-period';

/**
 * The period one SpaceUsage holds, and so the length of its buckets: an hour's object holds the
 * meter's buckets (a minute by default); compaction rolls a day's hour objects into one day object
 * of hour buckets, and a month's day objects into one month object of day buckets (ADR 0018).
 */
export const USAGE_PERIODS = ['hour', 'day', 'month'] as const;
export type UsagePeriod = (typeof USAGE_PERIODS)[number];

/** The batch of a bucket that compaction wrote: it sums committed buckets only, so it counts without a commit. */
export const COMPACTED_BATCH = 'compacted';

/** The label that says which meter's coverage a MeterCoverage holds: `all`, or an operator shard's. */
export const METER_SHARD_LABEL = 'spacekit.dev/meter-shard';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const Integral = z.string().regex(/^\d+$/, 'a whole number of milli-units × milliseconds');
const Offset = z.int().min(0).max(DAY_MS);
/** A month object's buckets are offsets from its first day. */
const MonthOffset = z
  .int()
  .min(0)
  .max(31 * DAY_MS);

/** One metered bucket of a Space, with times as milliseconds since the start of the object's day. */
export const UsageBucketSchema = z.strictObject({
  start: MonthOffset.meta({ description: "Start of the measured part of the bucket, in ms since 00:00 UTC of the object's day" }),
  end: MonthOffset.meta({ description: "End (exclusive), in ms since 00:00 UTC of the object's day" }),
  batch: z
    .string()
    .regex(/^[a-z0-9.-]{1,40}$/)
    .meta({
      description: `The meter's write this bucket came in; it counts once the day's MeterCoverage lists the write as committed. \`${COMPACTED_BATCH}\`: written by compaction, from committed buckets only`,
    }),
  integrals: z
    .record(z.string(), Integral)
    .meta({ description: 'Resource → exact integral in milli-units × milliseconds (millicore-ms, milli-byte-ms)' }),
});
export type UsageBucket = z.infer<typeof UsageBucketSchema>;

/** What a SpaceUsage holds: one Space's metered buckets of one UTC hour, day or month. */
export const SpaceUsageSpecSchema = z.strictObject({
  organization: z.string(),
  tenant: z.string(),
  space: z.string(),
  period: z.enum(USAGE_PERIODS).meta({
    description: "The period this object holds: an hour of the meter's buckets, or a day (month) compacted into hour (day) buckets",
  }),
  day: z.string().regex(DAY, 'a UTC day, YYYY-MM-DD').meta({ description: 'The UTC day of the period (for a month, its first day)' }),
  hour: z.int().min(0).max(23).optional().meta({ description: 'The UTC hour of the day whose buckets an hour object holds' }),
  buckets: z.array(UsageBucketSchema).max(MAX_BUCKETS_PER_OBJECT),
});
export type SpaceUsageSpec = z.infer<typeof SpaceUsageSpecSchema>;

/** What a MeterCoverage holds: the time of one UTC day that the meter measured and wrote, and the writes that completed. */
export const MeterCoverageSpecSchema = z.strictObject({
  day: z.string().regex(DAY, 'a UTC day, YYYY-MM-DD'),
  shard: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/)
    .meta({ description: 'Whose meter: `all`, or the shard of an operator that looks after some Organizations only' }),
  spans: z.array(z.strictObject({ from: Offset, to: Offset })).meta({ description: 'Measured spans, in ms since 00:00 UTC of the day' }),
  batches: z
    .array(z.string())
    .meta({ description: "The meter's writes of buckets in this day that completed; a bucket of any other write is not counted" }),
  compacted: z
    .enum(['day', 'month'])
    .optional()
    .meta({ description: "Set once this shard's usage of the day is rolled up into day (month) objects; its batches are then emptied" }),
});
export type MeterCoverageSpec = z.infer<typeof MeterCoverageSpecSchema>;
