import type { ApplyResult } from '../apply/index.ts';

/** How a reconcile left its object. */
export type Outcome =
  /** Provisioned as its spec says (a refused resize keeps the last granted allocation, and still counts). */
  | 'ready'
  /** A new object whose allocation does not fit its parent's budget; nothing was provisioned. */
  | 'refused'
  /** The spec is invalid or breaks the organization's policy; nothing was provisioned. */
  | 'invalid'
  /** Waiting for something else: a parent that is not ready, a namespace still terminating, children still going. */
  | 'waiting'
  /** Being deleted; the cleanup has started and continues as its pieces disappear. */
  | 'deleting'
  /** Deleted: its cleanup finished and its finalizer is gone. */
  | 'deleted'
  /** The object does not exist (anything left of it was cleaned up). */
  | 'absent';

/** What one reconcile did, for callers and for write-count tests. */
export interface ReconcileResult<T> {
  /** The object as it now stands; undefined once it is gone. */
  object: T | undefined;
  apply: ApplyResult;
  statusWritten: boolean;
  outcome: Outcome;
  /** Reconcile again after this long even if nothing changes: a deadline such as an expiry is due then. */
  requeueAfterMs?: number;
}

/** An apply that did nothing, for outcomes that apply nothing. */
export function noApply(): ApplyResult {
  return { created: [], updated: [], unchanged: [], pruned: [], writes: 0 };
}
