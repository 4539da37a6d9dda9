import { ValidationError, type ValidationIssue } from '../errors.ts';
import type { KubeClient } from '../kube/client.ts';

/**
 * How much a candidate's retry period is stretched at random, as in client-go
 * (`wait.Jitter(retryPeriod, 1.2)`), so candidates that start together do not
 * keep colliding.
 */
export const RETRY_JITTER_FACTOR = 1.2;

/** How to elect a leader; the timing defaults are client-go's. */
export interface LeaderElectionOptions {
  client: KubeClient;
  /** The namespace of the Lease. */
  namespace: string;
  /** The name of the Lease; every candidate for one leadership uses the same. */
  name: string;
  /** This candidate's identity, unique among candidates (the pod name, say). */
  identity: string;
  /** How long a standby waits, after it last saw the lease change, before it takes over; whole seconds. Default 15000. */
  leaseDurationMs?: number;
  /** How long the leader keeps trying to renew before it gives up leading. Default 10000. */
  renewDeadlineMs?: number;
  /** How often the leader renews, and candidates retry (with jitter). Default 2000. */
  retryPeriodMs?: number;
  /**
   * Called once leadership is won. `signal` aborts when leadership ends; stop
   * all work then. Resolving early is fine (the work may run in the
   * background); rejecting gives leadership up, so that a healthy standby
   * takes over.
   */
  onStartedLeading: (signal: AbortSignal) => void | Promise<void>;
  /** Called once when leadership that was won ends, for whatever reason. */
  onStoppedLeading: () => void;
  /** Called when the lease is seen to name a holder other than the last one reported, this candidate included. */
  onNewLeader?: (identity: string) => void;
  /** Where to log what happens; silent by default. */
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

/** {@link LeaderElectionOptions} with every default filled in. */
export type ResolvedLeaderElection = Required<LeaderElectionOptions>;

/** The options with client-go's default timings, checked so that two leaders can never overlap. */
export function resolveLeaderElection(options: LeaderElectionOptions): ResolvedLeaderElection {
  const resolved: ResolvedLeaderElection = {
    leaseDurationMs: 15_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2_000,
    onNewLeader: () => {},
    log: () => {},
    ...options,
  };
  const issues: ValidationIssue[] = [];
  for (const key of ['namespace', 'name', 'identity'] as const) {
    if (!resolved[key]) issues.push({ path: key, message: 'must not be empty' });
  }
  const { leaseDurationMs: lease, renewDeadlineMs: deadline, retryPeriodMs: retry } = resolved;
  // The Lease records whole seconds; a fraction rounded down would let standbys take over before the leader gives up.
  if (!Number.isInteger(lease / 1000) || lease < 1000) {
    issues.push({ path: 'leaseDurationMs', message: `must be a whole number of seconds, not ${lease} ms` });
  }
  // The leader must stop before any standby may start: that gap is what keeps two leaders apart.
  if (!(deadline < lease)) {
    issues.push({ path: 'renewDeadlineMs', message: `must be shorter than leaseDurationMs (${lease}), not ${deadline}` });
  }
  if (!(retry > 0)) issues.push({ path: 'retryPeriodMs', message: `must be positive, not ${retry}` });
  else if (!(deadline > RETRY_JITTER_FACTOR * retry)) {
    const message = `must exceed ${RETRY_JITTER_FACTOR} × retryPeriodMs (${retry}), so a renewal can be retried, not ${deadline}`;
    issues.push({ path: 'renewDeadlineMs', message });
  }
  if (issues.length > 0) throw new ValidationError('leader election options', issues);
  return resolved;
}
