/** A half-open span of time `[from, to)`, in milliseconds since the epoch. */
export interface TimeSpan {
  readonly from: number;
  readonly to: number;
}

/** Which Space a measurement belongs to, with the Tenant and Organization it rolls up into. */
export interface MeteredSpace {
  readonly organization: string;
  readonly tenant: string;
  readonly space: string;
}

/**
 * What a meter's source reports for one Space at one instant: its quota usage,
 * as in a ResourceQuota's `status.used` (`{ "requests.cpu": "250m", "requests.memory": "512Mi", "pods": "3" }`).
 */
export interface UsageRecord extends MeteredSpace {
  readonly used: Readonly<Record<string, string>>;
}

/**
 * The usage of one Space integrated over time within one bucket.
 *
 * The bucket is aligned to the epoch; `start`/`end` narrow it to the part that was
 * actually measured, so that a report prorating a record at a window edge spreads
 * the usage over the time it was measured rather than over the whole bucket.
 */
export interface BucketRecord extends MeteredSpace {
  readonly type: 'bucket';
  readonly start: number;
  readonly end: number;
  /** Canonical quota key → exact integral in milli-units × milliseconds (millicore-ms for CPU, milli-byte-ms for memory). */
  readonly integrals: ReadonlyMap<string, bigint>;
}

/** A span of time that the meter measured and whose data was written with it; time outside every coverage record is a gap. */
export interface CoverageRecord {
  readonly type: 'coverage';
  readonly from: number;
  readonly to: number;
}

/** What a {@link MeterStore} holds. */
export type MeterRecord = BucketRecord | CoverageRecord;
