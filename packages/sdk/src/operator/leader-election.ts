import { serverMessage, statusCode } from '../kube/errors.ts';
import {
  type LeaderElectionOptions,
  resolveLeaderElection,
  type ResolvedLeaderElection,
  RETRY_JITTER_FACTOR,
} from './leader-election-options.ts';
import { acquiredSpec, LEASE_API_VERSION, type Lease, leaseRecord, type LeaseSpec, microTime, releasedSpec, renewedSpec } from './lease.ts';
import { beforeDeadline, now, pause, untilAborted } from './waits.ts';

/** What ended a leadership: a stop request, failed work, or a lease this candidate could no longer vouch for. */
type Ending = { kind: 'stop' } | { kind: 'work-failed' } | { kind: 'lost'; reason: string };

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
  readonly #o: ResolvedLeaderElection;
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
    this.#o = resolveLeaderElection(options);
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
    const fresh = acquiredSpec(identity, leaseDurationMs, stamp);
    const renewal = (old: LeaseSpec): LeaseSpec => renewedSpec(fresh, old);
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
    const record = leaseRecord(s);
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
    const spec = releasedSpec(observed.spec, stamp);
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
