import type { AnyObject } from '../kube/client.ts';

/** The API version of the Lease objects leader election uses. */
export const LEASE_API_VERSION = 'coordination.k8s.io/v1';

/** The leader-election record a Lease carries, as client-go's `LeaseLock` writes it. */
export interface LeaseSpec {
  /** Who holds the lease; empty once released. */
  holderIdentity?: string;
  /** How long, after a candidate sees the record change, it must wait before taking over. */
  leaseDurationSeconds?: number;
  /** When the current holder acquired the lease. */
  acquireTime?: string;
  /** When the holder last renewed; informative only, candidates never compare it with their clock. */
  renewTime?: string;
  /** How many times the lease changed hands. */
  leaseTransitions?: number;
}

/** A coordination.k8s.io/v1 Lease as plain data. */
export interface Lease extends AnyObject {
  metadata: { name: string; namespace?: string; resourceVersion?: string };
  spec?: LeaseSpec;
}

/** A `MicroTime` as the apiserver parses it: RFC 3339 with exactly six fractional digits. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * The parts of a lease record whose change restarts a standby's wait; two
 * reads of one unchanged record give the same string.
 */
export function leaseRecord(spec: LeaseSpec): string {
  const { holderIdentity, leaseDurationSeconds, acquireTime, renewTime, leaseTransitions } = spec;
  return JSON.stringify([holderIdentity ?? '', leaseDurationSeconds, acquireTime, renewTime, leaseTransitions ?? 0]);
}

/** The record of `identity` taking a lease afresh at `stamp`. */
export function acquiredSpec(identity: string, leaseDurationMs: number, stamp: string): Required<LeaseSpec> {
  const leaseDurationSeconds = leaseDurationMs / 1000;
  return { holderIdentity: identity, leaseDurationSeconds, acquireTime: stamp, renewTime: stamp, leaseTransitions: 0 };
}

/** The holder's renewal of `old`: a new renew time, the same acquisition and transition count. */
export function renewedSpec(fresh: Required<LeaseSpec>, old: LeaseSpec): LeaseSpec {
  return { ...fresh, acquireTime: old.acquireTime ?? fresh.acquireTime, leaseTransitions: old.leaseTransitions ?? 0 };
}

/** A released record: no holder, and a 1 s duration so that a standby takes over at its next retry. */
export function releasedSpec(old: LeaseSpec, stamp: string): LeaseSpec {
  return { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: stamp, renewTime: stamp, leaseTransitions: old.leaseTransitions ?? 0 };
}
