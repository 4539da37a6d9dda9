import { formatForResource, parseResourceList, type Quantity } from '../quantity/index.ts';

/**
 * What is left of a budget per resource it names: the budget minus what is `held`, plus what is
 * `returned` (a child's own allocation, given back before it is resized), never below zero.
 * Resources the budget does not name are not limited by it and are left out.
 */
export function freeBudget(
  budget: ReadonlyMap<string, Quantity>,
  held: ReadonlyMap<string, Quantity>,
  returned: ReadonlyMap<string, Quantity> = new Map(),
): Map<string, Quantity> {
  const free = new Map<string, Quantity>();
  for (const [resource, limit] of budget) {
    const left = limit - (held.get(resource) ?? 0n) + (returned.get(resource) ?? 0n);
    free.set(resource, left > 0n ? left : 0n);
  }
  return free;
}

/** One resource a request asks more of than is free. */
export interface BudgetShortfall {
  resource: string;
  requested: Quantity;
  free: Quantity;
}

/**
 * Every resource `request` asks more of than `free` has (as {@link freeBudget} gives it), in the
 * request's order; resources `free` does not name are not limited. Unlike the budget checks, which
 * stop at the first refusal, it lists them all, for a form that says what would fit.
 */
export function budgetShortfalls(request: ReadonlyMap<string, Quantity>, free: ReadonlyMap<string, Quantity>): BudgetShortfall[] {
  const out: BudgetShortfall[] = [];
  for (const [resource, requested] of request) {
    const left = free.get(resource);
    if (left !== undefined && requested > left) out.push({ resource, requested, free: left });
  }
  return out;
}

/** The sum of all allocations, per resource, in Kubernetes syntax (a first-design ledger, ADR 0003, or any children). */
export function allocatedTotal(ledger: {
  allocations: Readonly<Record<string, Readonly<Record<string, string | number>>>>;
}): Record<string, string> {
  const sums = new Map<string, Quantity>();
  for (const list of Object.values(ledger.allocations)) {
    for (const [resource, amount] of parseResourceList(list)) sums.set(resource, (sums.get(resource) ?? 0n) + amount);
  }
  return Object.fromEntries([...sums].sort(([a], [b]) => a.localeCompare(b)).map(([r, q]) => [r, formatForResource(r, q)]));
}
