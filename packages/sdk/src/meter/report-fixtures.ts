import type { BucketRecord, CoverageRecord } from './records.ts';

/** 10:00 UTC on 2026-11-29, the start of every report fixture. */
export const T0 = Date.UTC(2026, 10, 29, 10, 0, 0);
/** One minute in milliseconds. */
export const MINUTE = 60_000;
/** One hour in milliseconds. */
export const HOUR = 3_600_000;

/** n core-minutes as an integral: n × 1000 millicores × 60 000 ms. */
export const coreMinutes = (n: number): bigint => BigInt(n) * 1_000n * 60_000n;
/** n GiB-minutes as an integral: n × 2^30 × 1000 milli-bytes × 60 000 ms. */
export const gibMinutes = (n: number): bigint => BigInt(n) * 2n ** 30n * 1_000n * 60_000n;
/** n pod-minutes as an integral: n × 1000 milli-pods × 60 000 ms. */
export const podMinutes = (n: number): bigint => BigInt(n) * 1_000n * 60_000n;

/** A bucket record for `organization/tenant/space` over `[start, end)`. */
export function bucketOf(path: string, start: number, end: number, integrals: Record<string, bigint>): BucketRecord {
  const [organization = '', tenant = '', space = ''] = path.split('/');
  return { type: 'bucket', organization, tenant, space, start, end, integrals: new Map(Object.entries(integrals)) };
}

/** A coverage record over `[from, to)`. */
export function coverageOf(from: number, to: number): CoverageRecord {
  return { type: 'coverage', from, to };
}

/**
 * Four Spaces in two Organizations over 10:00–12:00, one hour each:
 * acme/payments/dev 1 core and 1Gi, acme/payments/prod 2 cores, acme/search/idx 0.5 cores and 3 pods
 * (all 10:00–11:00), globex/web/site 1 core (11:00–12:00).
 */
export const FOUR_SPACES: readonly BucketRecord[] = [
  bucketOf('acme/payments/dev', T0, T0 + HOUR, { 'requests.cpu': coreMinutes(60), 'requests.memory': gibMinutes(60) }),
  bucketOf('acme/payments/prod', T0, T0 + HOUR, { 'requests.cpu': coreMinutes(120) }),
  bucketOf('acme/search/idx', T0, T0 + HOUR, { 'requests.cpu': coreMinutes(30), pods: podMinutes(180) }),
  bucketOf('globex/web/site', T0 + HOUR, T0 + 2 * HOUR, { 'requests.cpu': coreMinutes(60) }),
];
