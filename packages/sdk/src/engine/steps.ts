import { applyOwned, type AppliedLevel, type ApplyOptions } from '../apply/index.ts';
import { SpacekitError } from '../errors.ts';
import { toSpacekitError } from '../kube/index.ts';
import { CONDITION_REASONS as R } from '../model/index.ts';
import type { KubeObject, Owner } from '../render/index.ts';
import { notReady } from './checks.ts';
import type { EngineContext } from './context.ts';
import type { AllocationResult } from './decision.ts';
import type { AllocationDecision } from './allocation.ts';
import { noApply, type Outcome, type ReconcileResult } from './outcome.ts';
import { type AnyCr, settle } from './status.ts';

/** The result of a reconcile whose object does not exist. */
export function absent<T>(outcome: Outcome): ReconcileResult<T> {
  return { object: undefined, apply: noApply(), statusWritten: false, outcome };
}

/** How soon a child waiting for another process's change to its allocation looks again. */
export const IN_FLIGHT_RETRY_MS = 1_000;

/** The result of a reconcile that waits without writing anything. */
export function waitingFor<T>(object: T): ReconcileResult<T> {
  return { object, apply: noApply(), statusWritten: false, outcome: 'waiting' };
}

/** `result`, to be reconciled again after `ms` when a deadline is due then. */
export function withRequeue<T>(result: ReconcileResult<T>, ms: number | undefined): ReconcileResult<T> {
  return { ...result, ...(ms !== undefined && { requeueAfterMs: ms }) };
}

/**
 * Asks a parent's ledger for an allocation. A parent with no budget to give
 * yet, or one that is gone, cannot decide now; other failures are the
 * caller's to retry.
 */
export async function askLedger(decide: () => Promise<AllocationDecision>): Promise<AllocationResult> {
  try {
    return { kind: 'decided', decision: await decide() };
  } catch (err) {
    if (!(err instanceof SpacekitError)) throw err;
    return { kind: 'unavailable', message: err.message };
  }
}

/**
 * Applies a level's objects. A failure is written to the level's status as
 * ProvisioningFailed (best effort) and thrown as a typed error, for the
 * caller to retry.
 */
export async function applyOrFail(
  ctx: EngineContext,
  object: AnyCr,
  owner: Owner,
  desired: readonly KubeObject[],
  options: ApplyOptions | undefined,
): Promise<AppliedLevel> {
  try {
    return await applyOwned(ctx, owner, desired, options);
  } catch (err) {
    const path = [owner.organization, owner.tenant, owner.space].filter(Boolean).join('/');
    const typed = toSpacekitError(err, `provision ${owner.level} ${path}`);
    const failed = { phase: 'Failed', conditions: [notReady(R.provisioningFailed, typed.message)] } as const;
    await settle(ctx, object, failed, 'invalid').catch(() => undefined);
    throw typed;
  }
}
