import { isSubset } from '../apply/index.ts';
import type { AppliedLevel } from '../apply/index.ts';
import {
  CONDITION_TYPES as C,
  type Condition,
  type Organization,
  type Phase,
  type Space,
  type Status,
  type Tenant,
} from '../model/index.ts';
import { type ConditionUpdate, setCondition } from './conditions.ts';
import type { EngineContext } from './context.ts';
import { noApply, type Outcome, type ReconcileResult } from './outcome.ts';
import { onConflictRetry } from '../cluster/index.ts';

export type AnyCr = Organization | Tenant | Space;

/** The store that keeps objects of `object`'s kind. */
export function storeOf(ctx: EngineContext, object: AnyCr) {
  return object.kind === 'Organization' ? ctx.organizations : object.kind === 'Tenant' ? ctx.tenants : ctx.spaces;
}

/**
 * Writes status only when it differs from what is stored, so that a
 * reconcile of an unchanged object makes no write at all. A stale copy
 * fails the write with a conflict and is read again.
 */
export async function writeStatus<T extends AnyCr>(
  ctx: EngineContext,
  object: T,
  build: (current: T) => Status,
): Promise<{ object: T; written: boolean }> {
  const store = storeOf(ctx, object);
  let written = false;
  // The caller's copy is usually fresh; only a conflict makes it worth reading again.
  let known: T | undefined = object;
  const result = await onConflictRetry(async () => {
    const current = known ?? (((await store.get(object.metadata.namespace, object.metadata.name)) ?? object) as T);
    known = undefined;
    const status = build(current);
    if (current.status && isSubset(status, current.status) && isSubset(current.status, status)) return current;
    written = true;
    return (await store.replaceStatus(current as never, status)) as T;
  });
  return { object: result, written };
}

/** The status a reconcile decided, before it is merged into what is stored. */
export interface StatusDecision {
  phase: Phase;
  conditions: readonly ConditionUpdate[];
  /** Fields replaced wholesale (namespace, usage, expiresAt…); undefined values remove the field. */
  fields?: Partial<Status>;
  /**
   * Parts computed from the copy actually being written: a parent's ledger
   * may have moved since it was read, and its usage must count the ledger it
   * is written with.
   */
  derive?: (current: AnyCr) => { fields?: Partial<Status>; conditions?: readonly ConditionUpdate[] };
  /**
   * True of a stored copy that makes this decision moot: it was made on a
   * read that another writer (the SDK and the operator may reconcile one
   * object at once) has since overtaken, and on a conflict it must not be
   * forced onto the fresher status.
   */
  overtakenBy?: (current: AnyCr) => boolean;
}

/**
 * Merges a decision into the current status: the given conditions are set
 * (keeping their transition time when their status did not change), others
 * are kept, and observedGeneration follows the object. A decision the
 * stored copy has overtaken leaves it as it is.
 */
export function decideStatus(current: AnyCr, decision: StatusDecision): Status {
  if (current.status && decision.overtakenBy?.(current)) return current.status;
  const derived = decision.derive?.(current) ?? {};
  let conditions: Condition[] | undefined = current.status?.conditions;
  for (const update of [...decision.conditions, ...(derived.conditions ?? [])])
    conditions = setCondition(conditions, update, current.metadata.generation);
  const status: Status = {
    ...current.status,
    ...decision.fields,
    ...derived.fields,
    phase: decision.phase,
    ...(current.metadata.generation !== undefined && { observedGeneration: current.metadata.generation }),
    ...(conditions && { conditions }),
  };
  for (const [key, value] of Object.entries(status)) if (value === undefined) delete (status as Record<string, unknown>)[key];
  return status;
}

/** The current condition of a type, if any. */
export function conditionOf(object: AnyCr, type: string): Condition | undefined {
  return object.status?.conditions?.find((c) => c.type === type);
}

/**
 * Writes the decided status (only when it changed), records an event for
 * every condition whose status or reason changed, and wraps up the result.
 * A condition that appears for the first time as good news (QuotaExceeded
 * False, say) is not worth an event.
 */
export async function settle<T extends AnyCr>(
  ctx: EngineContext,
  object: T,
  decision: StatusDecision,
  outcome: Outcome,
  applied?: AppliedLevel,
): Promise<ReconcileResult<T>> {
  const before = new Map((object.status?.conditions ?? []).map((c) => [c.type, c]));
  const { object: written, written: statusWritten } = await writeStatus(ctx, object, (current) => decideStatus(current, decision));
  if (statusWritten) {
    for (const condition of written.status?.conditions ?? []) {
      const previous = before.get(condition.type);
      if (previous && previous.status === condition.status && previous.reason === condition.reason) continue;
      const good = condition.type === C.ready ? condition.status === 'True' : condition.status === 'False';
      if (good && !previous && condition.type !== C.ready) continue;
      ctx.events.record(written, {
        type: good ? 'Normal' : 'Warning',
        reason: condition.type === C.ready && good ? 'Provisioned' : condition.reason,
        action: condition.type === C.ready ? 'Provision' : 'Allocate',
        note: condition.message,
      });
    }
  }
  const apply = applied
    ? { created: applied.created, updated: applied.updated, unchanged: applied.unchanged, pruned: applied.pruned, writes: applied.writes }
    : noApply();
  return { object: written, apply, statusWritten, outcome };
}
