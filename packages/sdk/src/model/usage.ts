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

/** The label that says which UTC day a usage object holds (`2026-12-04`). */
export const USAGE_DAY_LABEL = 'spacekit.dev/usage-day';

/** The label that says which meter's coverage a MeterCoverage holds: `all`, or an operator shard's. */
export const METER_SHARD_LABEL = 'spacekit.dev/meter-shard';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const Integral = z.string().regex(/^\d+$/, 'a whole number of milli-units × milliseconds');
const Offset = z.int().min(0).max(DAY_MS);

/** One metered bucket of a Space, with times as milliseconds since the start of the object's day. */
export const UsageBucketSchema = z.strictObject({
  start: Offset.meta({ description: 'Start of the measured part of the bucket, in ms since 00:00 UTC of the day' }),
  end: Offset.meta({ description: 'End (exclusive), in ms since 00:00 UTC of the day' }),
  batch: z
    .string()
    .regex(/^[a-z0-9.-]{1,40}$/)
    .meta({ description: "The meter's write this bucket came in; it counts once the day's MeterCoverage lists the write as committed" }),
  integrals: z
    .record(z.string(), Integral)
    .meta({ description: 'Resource → exact integral in milli-units × milliseconds (millicore-ms, milli-byte-ms)' }),
});
export type UsageBucket = z.infer<typeof UsageBucketSchema>;

/** What a SpaceUsage holds: one Space's metered buckets of one UTC hour. */
export const SpaceUsageSpecSchema = z.strictObject({
  organization: z.string(),
  tenant: z.string(),
  space: z.string(),
  day: z.string().regex(DAY, 'a UTC day, YYYY-MM-DD'),
  hour: z.int().min(0).max(23).meta({ description: 'The UTC hour of the day whose buckets this object holds' }),
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
});
export type MeterCoverageSpec = z.infer<typeof MeterCoverageSpecSchema>;
