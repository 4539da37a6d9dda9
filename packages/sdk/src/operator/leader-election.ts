import { ValidationError, type ValidationIssue } from '../errors.ts';
import type { AnyObject, KubeClient } from '../kube/client.ts';
import { serverMessage, statusCode } from '../kube/errors.ts';

/** The API version of the Lease objects leader election uses. */
export const LEASE_API_VERSION = 'coordination.k8s.io/v1';

/**
 * How much a candidate's retry period is stretched at random, as in client-go
 * (`wait.Jitter(retryPeriod, 1.2)`), so candidates that start together do not
 * keep colliding.
 */
export const RETRY_JITTER_FACTOR = 1.2;

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

type Resolved = Required<LeaderElectionOptions>;

/** What ended a leadership: a stop request, failed work, or a lease this candidate could no longer vouch for. */
type Ending = { kind: 'stop' } | { kind: 'work-failed' } | { kind: 'lost'; reason: string };

/** A monotonic clock in ms: wall-clock jumps must never make a lease look expired or valid. */
function now(): number {
  return performance.now();
}

/** A `MicroTime` as the apiserver parses it: RFC 3339 with exactly six fractional digits. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function resolve(options: LeaderElectionOptions): Resolved {
  const resolved: Resolved = {
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
  if (!Number.isInteger(lease / 1000) || lease < 1000) issues.push({ path: 'leaseDurationMs', message: `must be a whole number of seconds, not ${lease} ms` });
  // The leader must stop before any standby may start: that gap is what keeps two leaders apart.
  if (!(deadline < lease)) issues.push({ path: 'renewDeadlineMs', message: `must be shorter than leaseDurationMs (${lease}), not ${deadline}` });
  if (!(retry > 0)) issues.push({ path: 'retryPeriodMs', message: `must be positive, not ${retry}` });
  else if (!(deadline > RETRY_JITTER_FACTOR * retry)) {
    issues.push({ path: 'renewDeadlineMs', message: `must exceed ${RETRY_JITTER_FACTOR} × retryPeriodMs (${retry}), so a renewal can be retried, not ${deadline}` });
  }
  if (issues.length > 0) throw new ValidationError('leader election options', issues);
  return resolved;
}

/**
 * Waits `ms`, or less if one of `wake` aborts; true when woken early.
 * Listeners are removed afterwards, so a long leadership does not pile them up.
 */
function pause(ms: number, wake: readonly AbortSignal[]): Promise<boolean> {
  return new Promise((done) => {
    if (wake.some((s) => s.aborted)) return done(true);
    const finish = (woken: boolean) => {
      clearTimeout(timer);
      for (const s of wake) s.removeEventListener('abort', onWake);
      done(woken);
    };
    const onWake = () => finish(true);
    const timer = setTimeout(() => finish(false), Math.max(0, ms));
    for (const s of wake) s.addEventListener('abort', onWake, { once: true });
  });
}

/** `work`'s result, or `'late'` if it has not settled by `deadline` (monotonic ms). */
async function beforeDeadline<T>(work: Promise<T>, deadline: number): Promise<T | 'late'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((done) => {
    timer = setTimeout(() => done('late'), Math.max(0, deadline - now()));
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** `work`'s result, or `'aborted'` once `signal` aborts. */
async function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | 'aborted'> {
  if (signal.aborted) return 'aborted';
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<'aborted'>((done) => {
    onAbort = () => done('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Leader election on a coordination.k8s.io/v1 Lease, with client-go's
 * semantics, so Spacekit's candidates interoperate with client-go's and
 * `kubectl get lease` reads the same:
 *
 * - A candidate judges expiry by its OWN monotonic clock: it takes over only
 *   when the lease record (holder, times, transitions) has not changed for
 *   the record's `leaseDurationSeconds` since it last SAW it change. Remote
 *   timestamps are never compared with the local clock, so clock skew between
 *   nodes cannot cause two leaders.
 * - Every write carries the `resourceVersion` read, so of two candidates
 *   racing for one lease exactly one wins (the other gets 409).
 * - The leader renews every `retryPeriodMs` and stops leading when it has not
 *   renewed for `renewDeadlineMs`, measured from when it SENT the last
 *   successful renewal. Since a standby measures from when it saw that
 *   renewal, which is later, and waits the longer `leaseDurationMs`, the
 *   leader always stops first.
 * - Unlike client-go, the leader stops at once when it sees the lease name
 *   someone else, rather than retrying until its deadline.
 * - On a graceful stop the leader clears `holderIdentity` (and sets a 1 s
 *   duration), so a standby takes over at its next retry instead of after
 *   expiry; this is client-go's `ReleaseOnCancel`, always on.
 *
 * Writes go through {@link KubeClient.create} and {@link KubeClient.replace},
 * so they are counted as `Lease create` and `Lease update`: a steady leader
 * writes one `Lease update` per retry period and nothing else.
 *
 * One elector runs once; to stand again after losing, make a new one.
 */
export class LeaderElector {
  readonly #o: Resolved;
  #started = false;
  #ended = false;
  #leading = false;
  /** The lease as last read or written, with the resourceVersion the next write must carry. */
  #observed: Lease | undefined;
  /** The record of {@link #observed}, to tell a change from a re-read of the same record. */
  #observedRecord = '';
  /** When (monotonic ms) the record was last seen to change. */
  #observedAt = 0;
  #reportedLeader = '';

  /** @throws {ValidationError} when the timings cannot keep two leaders apart, or a name is empty. */
  constructor(options: LeaderElectionOptions) {
    this.#o = resolve(options);
  }

  /** True from winning the lease until leadership ends. */
  get isLeader(): boolean {
    return this.#leading;
  }

  /**
   * Stands for election until `signal` aborts; if elected, leads until
   * leadership is lost or `signal` aborts. On abort while leading it first
   * aborts the work's signal and keeps renewing until the work has settled,
   * so a standby never starts while this one still works; then it releases
   * the lease (best effort) and calls `onStoppedLeading`.
   *
   * Resolves once this candidate is done: never elected and stopped, or
   * leadership over and the work given to `onStartedLeading` settled.
   *
   * An acquire request still in flight when `signal` aborts is not waited
   * for; if it wins after all, that lease is never renewed and standbys take
   * over when it expires.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.#started) throw new Error('a LeaderElector runs once; make a new one to stand again');
    this.#started = true;
    try {
      const acquiredAt = await this.#acquire(signal);
      if (acquiredAt !== undefined) await this.#lead(signal, acquiredAt);
    } finally {
      this.#ended = true;
    }
  }

  /** Tries until the lease is won; resolves with when the winning request was sent, or undefined if stopped first. */
  async #acquire(signal: AbortSignal): Promise<number | undefined> {
    const { log, namespace, name, identity, retryPeriodMs } = this.#o;
    log('standing for leader', { namespace, name, identity });
    while (!signal.aborted) {
      const sentAt = now();
      const won = await untilAborted(this.#tryAcquireOrRenew(), signal);
      if (won === 'aborted') return undefined;
      if (won) {
        if (signal.aborted) {
          await this.#release(sentAt + this.#o.renewDeadlineMs);
          return undefined;
        }
        return sentAt;
      }
      await pause(retryPeriodMs * (1 + Math.random() * RETRY_JITTER_FACTOR), [signal]);
    }
    return undefined;
  }

  async #lead(signal: AbortSignal, acquiredAt: number): Promise<void> {
    const { log, identity, renewDeadlineMs, retryPeriodMs } = this.#o;
    this.#leading = true;
    log('became leader', { identity });
    const work = new AbortController();
    const settled = new AbortController();
    const failed = new AbortController();
    const workDone = (async () => {
      try {
        await this.#o.onStartedLeading(work.signal);
      } catch (err) {
        log('onStartedLeading failed; giving up leadership', { error: serverMessage(err) });
        failed.abort();
      } finally {
        settled.abort();
      }
    })();

    let renewedAt = acquiredAt;
    let nextAttemptAt = acquiredAt + retryPeriodMs;
    let ending: Ending;
    for (;;) {
      if (signal.aborted && !work.signal.aborted) work.abort(signal.reason);
      if (failed.signal.aborted) {
        ending = { kind: 'work-failed' };
        break;
      }
      if (signal.aborted && settled.signal.aborted) {
        ending = { kind: 'stop' };
        break;
      }
      const deadline = renewedAt + renewDeadlineMs;
      // While stopping, wake as soon as the work is done, to release without waiting for the next renewal.
      const woken = await pause(Math.min(nextAttemptAt, deadline) - now(), signal.aborted ? [settled.signal] : [signal, failed.signal]);
      if (woken) continue;
      const sentAt = now();
      const renewed = await beforeDeadline(this.#tryAcquireOrRenew(), deadline);
      if (renewed === true) {
        renewedAt = sentAt;
        nextAttemptAt = sentAt + retryPeriodMs;
        continue;
      }
      nextAttemptAt = now() + retryPeriodMs;
      const holder = this.#observed?.spec?.holderIdentity;
      if (holder !== identity) {
        ending = { kind: 'lost', reason: `the lease now names ${holder ? `"${holder}"` : 'no holder'}` };
        break;
      }
      if (renewed === 'late' || now() >= deadline) {
        ending = { kind: 'lost', reason: `could not renew for ${renewDeadlineMs} ms` };
        break;
      }
    }

    if (ending.kind === 'lost') {
      // Stop work first: from here on a standby may take over at any moment.
      this.#leading = false;
      work.abort(new Error(`leadership lost: ${ending.reason}`));
      log('leadership lost', { identity, reason: ending.reason });
    } else {
      work.abort(new Error('leadership given up'));
      await this.#release(renewedAt + renewDeadlineMs);
      this.#leading = false;
    }
    try {
      this.#o.onStoppedLeading();
    } catch (err) {
      log('onStoppedLeading failed', { error: serverMessage(err) });
    }
    await workDone;
  }

  #ref(): Pick<Lease, 'apiVersion' | 'kind' | 'metadata'> {
    return { apiVersion: LEASE_API_VERSION, kind: 'Lease', metadata: { name: this.#o.name, namespace: this.#o.namespace } };
  }

  /**
   * One attempt, as client-go's `tryAcquireOrRenew`: true when this candidate
   * holds the lease afterwards. Failures are logged and count as false.
   */
  async #tryAcquireOrRenew(): Promise<boolean> {
    const { client, identity, leaseDurationMs, log } = this.#o;
    const stamp = microTime(new Date());
    const fresh: LeaseSpec = {
      holderIdentity: identity,
      leaseDurationSeconds: leaseDurationMs / 1000,
      acquireTime: stamp,
      renewTime: stamp,
      leaseTransitions: 0,
    };
    const renewal = (old: LeaseSpec): LeaseSpec => ({ ...fresh, acquireTime: old.acquireTime ?? stamp, leaseTransitions: old.leaseTransitions ?? 0 });
    try {
      if (this.#leading && this.#observed) {
        // The leader writes over what it wrote last, saving a read; a conflict means someone else wrote.
        try {
          this.#observe(await client.replace<Lease>({ ...this.#observed, spec: renewal(this.#observed.spec ?? {}) }));
          return true;
        } catch (err) {
          if (statusCode(err) !== 409) throw err;
        }
      }
      const current = await client.read<Lease>(this.#ref());
      if (!current) {
        this.#observe(await client.create<Lease>({ ...this.#ref(), spec: fresh }));
        log('acquired the lease', { identity, previousHolder: '', created: true });
        return true;
      }
      this.#observe(current);
      const old = current.spec ?? {};
      const holder = old.holderIdentity ?? '';
      if (holder === identity) {
        this.#observe(await client.replace<Lease>({ ...current, spec: renewal(old) }));
        return true;
      }
      // A leader that finds someone else named has had a gap in its tenure, even if that lease is now free.
      if (this.#leading) return false;
      if (holder !== '' && this.#isUnexpired()) {
        log('the lease is held and not yet expired', { identity, holder });
        return false;
      }
      this.#observe(await client.replace<Lease>({ ...current, spec: { ...fresh, leaseTransitions: (old.leaseTransitions ?? 0) + 1 } }));
      log('acquired the lease', { identity, previousHolder: holder, created: false });
      return true;
    } catch (err) {
      const code = statusCode(err);
      log(code === 409 ? 'another candidate wrote the lease first' : 'could not read or write the lease', {
        identity,
        ...(code !== undefined && { status: code }),
        error: serverMessage(err),
      });
      return false;
    }
  }

  /** Whether the observed record is still within its lease duration, by this candidate's clock. */
  #isUnexpired(): boolean {
    const seconds = this.#observed?.spec?.leaseDurationSeconds ?? this.#o.leaseDurationMs / 1000;
    return now() < this.#observedAt + seconds * 1000;
  }

  /**
   * Remembers a lease read or written. The time is taken after the response
   * arrived, which is never before the holder sent the record, so a standby's
   * wait is never shorter than the leader's tenure.
   */
  #observe(lease: Lease): void {
    if (this.#ended) return;
    const s = lease.spec ?? {};
    const record = JSON.stringify([s.holderIdentity ?? '', s.leaseDurationSeconds, s.acquireTime, s.renewTime, s.leaseTransitions ?? 0]);
    if (record !== this.#observedRecord) {
      this.#observedRecord = record;
      this.#observedAt = now();
    }
    this.#observed = lease;
    const holder = s.holderIdentity ?? '';
    if (holder !== '' && holder !== this.#reportedLeader) {
      this.#reportedLeader = holder;
      this.#o.log('new leader observed', { identity: this.#o.identity, leader: holder });
      try {
        this.#o.onNewLeader(holder);
      } catch (err) {
        this.#o.log('onNewLeader failed', { error: serverMessage(err) });
      }
    }
  }

  /**
   * Clears the holder so a standby takes over at its next retry. Best effort,
   * and only while this candidate can still vouch for the lease (`deadline`);
   * otherwise the lease simply expires.
   */
  async #release(deadline: number): Promise<void> {
    const { client, identity, log } = this.#o;
    const observed = this.#observed;
    if (!observed || observed.spec?.holderIdentity !== identity) return;
    const stamp = microTime(new Date());
    const spec: LeaseSpec = { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: stamp, renewTime: stamp, leaseTransitions: observed.spec.leaseTransitions ?? 0 };
    try {
      const released = await beforeDeadline(client.replace<Lease>({ ...observed, spec }), deadline);
      if (released === 'late') {
        log('could not release the lease in time; standbys take over when it expires', { identity });
        return;
      }
      this.#observe(released);
      log('released the lease', { identity });
    } catch (err) {
      log('could not release the lease; standbys take over when it expires', { identity, error: serverMessage(err) });
    }
  }
}
