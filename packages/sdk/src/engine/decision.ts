import { NameError } from '../errors.ts';
import { CONDITION_REASONS as R, CONDITION_TYPES as C } from '../model/index.ts';
import type { ConditionUpdate } from './conditions.ts';
import type { AllocationDecision, Held } from './allocation.ts';
import { notReady } from './checks.ts';
import type { Outcome } from './outcome.ts';
import type { StatusDecision } from './status.ts';

/** A reconcile stops here: it writes this status and reports this outcome. */
export interface Settle {
  kind: 'settle';
  status: StatusDecision;
  outcome: Outcome;
}

/** Either stop with a status, or go on to the next step with what the decision found. */
export type Decision<T> = Settle | ({ kind: 'proceed' } & T);

/** A {@link Settle}. */
export function settleWith(status: StatusDecision, outcome: Outcome): Settle {
  return { kind: 'settle', status, outcome };
}

/**
 * A level's namespace, or Failed when the names that make it up are not valid
 * (too long together, say) or `refuse` gives a reason it must not be taken;
 * `compute` is one of the model's namespace functions.
 */
export function decideNamespace(
  compute: () => string,
  refuse: (namespace: string) => string | undefined = () => undefined,
): Decision<{ namespace: string }> {
  let namespace: string;
  try {
    namespace = compute();
  } catch (err) {
    if (!(err instanceof NameError)) throw err;
    return settleWith({ phase: 'Failed', conditions: [notReady(R.invalidSpec, err.message)] }, 'invalid');
  }
  const problem = refuse(namespace);
  if (problem) return settleWith({ phase: 'Failed', conditions: [notReady(R.invalidSpec, problem)] }, 'invalid');
  return { kind: 'proceed', namespace };
}

/** What asking the parent's ledger gave: a decision, or why the parent cannot decide now (no budget yet, or gone). */
export type AllocationResult = { kind: 'decided'; decision: AllocationDecision } | { kind: 'unavailable'; message: string };

/** How a child level is named in the conditions {@link decideGrant} writes. */
export interface GrantWords {
  /** `Space` or `Tenant`. */
  child: string;
  /** `tenant` or `organization`. */
  parent: string;
}

/** The allocation in force for a child, and its QuotaExceeded condition. */
export interface Grant {
  granted: Record<string, string>;
  quota: ConditionUpdate;
  /** A change reserved by this process, which the child's status write must record. */
  held?: Held | undefined;
  /** The reservation to settle once `granted` is in force: this process's, or one whose maker lapsed. */
  settles?: string | undefined;
}

/**
 * What an allocation result means for the child: Pending while the parent
 * cannot decide, Failed when a child with no allocation did not fit, and
 * otherwise the allocation in force with its QuotaExceeded condition (True
 * when a resize was refused and the old allocation is kept).
 */
export function decideGrant(words: GrantWords, result: AllocationResult): Decision<Grant> {
  if (result.kind === 'unavailable') {
    // The parent's own reconcile re-queues its children when that changes.
    return settleWith({ phase: 'Pending', conditions: [notReady(R.parentNotReady, result.message)] }, 'waiting');
  }
  const { granted, refusal, held } = result.decision;
  const settles = held?.entry.id ?? result.decision.settles;
  if (!granted) {
    const message = refusal?.message ?? 'the allocation does not fit';
    const exceeded: ConditionUpdate = { type: C.quotaExceeded, status: 'True', reason: R.quotaExceeded, message };
    return settleWith({ phase: 'Failed', conditions: [notReady(R.quotaExceeded, message), exceeded] }, 'refused');
  }
  const quota: ConditionUpdate = refusal
    ? {
        type: C.quotaExceeded,
        status: 'True',
        reason: R.quotaExceeded,
        message: `the resize was refused and the ${words.child} keeps its current allocation: ${refusal.message}`,
      }
    : { type: C.quotaExceeded, status: 'False', reason: R.withinBudget, message: `the allocation fits the ${words.parent}'s budget` };
  return { kind: 'proceed', granted, quota, held, settles };
}

/** Ready=True for a level whose namespace is provisioned. */
export function provisioned(namespace: string): ConditionUpdate {
  return { type: C.ready, status: 'True', reason: R.provisioned, message: `namespace ${namespace} is provisioned` };
}

/** Failed: a parent (`organization acme`, `tenant acme/payments`) does not exist. */
export function parentMissing(label: string): Settle {
  return settleWith({ phase: 'Failed', conditions: [notReady(R.parentNotFound, `${label} does not exist; create it first`)] }, 'invalid');
}

/** Pending: a parent is being deleted. */
export function parentGoing(label: string): Settle {
  return settleWith({ phase: 'Pending', conditions: [notReady(R.parentNotReady, `${label} is being deleted`)] }, 'waiting');
}
