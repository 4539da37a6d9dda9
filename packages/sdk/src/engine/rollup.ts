import { allocatedTotal } from '../budget/budget.ts';
import { CONDITION_REASONS as R, CONDITION_TYPES as C, type Organization, type Status, type Tenant, type Usage } from '../model/index.ts';
import type { ConditionUpdate } from './conditions.ts';
import { effectiveBudget } from './allocation.ts';
import { overBudget, sumUsed } from './usage.ts';

/**
 * A parent's usage: its budget (`hard`: for a tenant, what its organization
 * granted), what its children hold (`allocated`, the total its reservations keep), and what
 * their workloads request (`used`, summed from the children's status).
 */
export function parentUsage(
  parent: Organization | Tenant,
  hard: Record<string, string>,
  children: readonly { status?: Status | undefined }[],
): Usage {
  const legacy = parent.status?.allocations;
  const allocated = legacy ? allocatedTotal({ allocations: legacy }) : { ...parent.status?.usage?.allocated };
  return { hard, allocated, used: sumUsed(children) };
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
