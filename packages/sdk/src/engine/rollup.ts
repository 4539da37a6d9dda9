import { allocatedTotal } from '../budget/budget.ts';
import { CONDITION_REASONS as R, CONDITION_TYPES as C, type Organization, type Status, type Tenant, type Usage } from '../model/index.ts';
import type { ConditionUpdate } from './conditions.ts';
import type { EngineContext } from './context.ts';
import { effectiveBudget, type ParentRef, release } from './allocation.ts';
import { overBudget, sumUsed } from './usage.ts';

/**
 * A parent's usage: its budget (`hard`: for a tenant, what its organization
 * granted), what its children hold (`allocated`, from its ledger), and what
 * their workloads request (`used`, summed from the children's status).
 */
export function parentUsage(
  parent: Organization | Tenant,
  hard: Record<string, string>,
  children: readonly { status?: Status | undefined }[],
): Usage {
  return { hard, allocated: allocatedTotal({ allocations: parent.status?.allocations ?? {} }), used: sumUsed(children) };
}

/** Whether the children hold more than the budget, which happens only after the budget was cut below them. */
export function overcommitCondition(parent: Organization | Tenant, usage: Usage, childKind: string): ConditionUpdate {
  const budget = effectiveBudget({ ...parent, status: { ...parent.status, usage } } as typeof parent) ?? {};
  const over = overBudget(budget, usage.allocated ?? {});
  if (over.length === 0)
    return { type: C.overcommitted, status: 'False', reason: R.withinBudget, message: `the ${childKind}s fit the budget` };
  const detail = over.map((r) => `${r}: ${usage.allocated?.[r]} held, ${budget[r]} budgeted`).join('; ');
  return {
    type: C.overcommitted,
    status: 'True',
    reason: R.overcommitted,
    message: `the ${childKind}s hold more than the budget (${detail}); nothing new is allocated until ${childKind}s shrink or go, or the budget grows`,
  };
}

/**
 * Releases ledger entries whose child has been gone for longer than the
 * grace period. A crash between reserving and creating leaves such an entry,
 * but so does every create in flight for a moment, hence the grace period and
 * the final check against the API server rather than the cache.
 *
 * @returns when the next entry becomes due, so the caller can look again then.
 */
export async function sweepOrphanAllocations(
  ctx: EngineContext,
  ref: ParentRef<Organization | Tenant>,
  parent: Organization | Tenant,
  children: ReadonlySet<string>,
  existsLive: (name: string) => Promise<boolean>,
): Promise<number | undefined> {
  if (!Number.isFinite(ctx.orphanGraceMs)) return undefined;
  const now = ctx.now();
  let nextDue: number | undefined;
  for (const name of Object.keys(parent.status?.allocations ?? {})) {
    const key = `${ref.label}|${name}`;
    if (children.has(name)) {
      ctx.orphansSeen.delete(key);
      continue;
    }
    const firstSeen = ctx.orphansSeen.get(key) ?? now;
    ctx.orphansSeen.set(key, firstSeen);
    const due = firstSeen + ctx.orphanGraceMs;
    if (now < due) {
      nextDue = Math.min(nextDue ?? due, due);
      continue;
    }
    ctx.orphansSeen.delete(key);
    if (await existsLive(name)) continue;
    await release(ref, name);
    ctx.events.record(parent, {
      type: 'Warning',
      reason: 'ReleasedOrphanAllocation',
      action: 'Allocate',
      note: `released the allocation of ${ref.childKind} ${name}, which does not exist (a create that crashed half-way)`,
    });
  }
  return nextDue === undefined ? undefined : nextDue - now;
}
