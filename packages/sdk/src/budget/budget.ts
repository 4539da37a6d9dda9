import { type BudgetHolder, QuotaExceededError } from '../errors.ts';
import { formatForResource, parseResourceList, type Quantity } from '../quantity/index.ts';

/** A parent's budget and what its children hold, as recorded in the parent's status. */
export interface Ledger {
  /** `tenant acme/payments`, used in messages. */
  parent: string;
  /** The kind of the children, such as `space`, used in messages. */
  childKind: string;
  budget: Readonly<Record<string, string | number>>;
  allocations: Readonly<Record<string, Readonly<Record<string, string | number>>>>;
}

function totals(ledger: Ledger, except: string): Map<string, { total: Quantity; holders: BudgetHolder[] }> {
  const out = new Map<string, { total: Quantity; holders: BudgetHolder[] }>();
  for (const [child, list] of Object.entries(ledger.allocations)) {
    if (child === except) continue;
    for (const [resource, amount] of parseResourceList(list)) {
      const entry = out.get(resource) ?? { total: 0n, holders: [] };
      entry.total += amount;
      if (amount > 0n) entry.holders.push({ name: `${ledger.childKind}/${child}`, amount: formatForResource(resource, amount) });
      out.set(resource, entry);
    }
  }
  return out;
}

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
 * request's order; resources `free` does not name are not limited. Unlike {@link checkAllocation},
 * which stops at the first refusal, it lists them all, for a form that says what would fit.
 */
export function budgetShortfalls(request: ReadonlyMap<string, Quantity>, free: ReadonlyMap<string, Quantity>): BudgetShortfall[] {
  const out: BudgetShortfall[] = [];
  for (const [resource, requested] of request) {
    const left = free.get(resource);
    if (left !== undefined && requested > left) out.push({ resource, requested, free: left });
  }
  return out;
}

function describeHolders(holders: readonly BudgetHolder[]): string {
  return holders.length === 0 ? 'nothing else holds any' : `held by ${holders.map((h) => `${h.name} (${h.amount})`).join(', ')}`;
}

/**
 * Checks that `child` asking for `request` fits in the ledger's budget, for
 * every resource the parent names, counting what the other children hold
 * (the child's own current allocation is replaced, so growing is checked
 * too). A parent that names a resource bounds all its children, so a child
 * must ask for every resource its parent names.
 *
 * @throws {QuotaExceededError} naming the resource, the amount asked, the
 *   amount free and the children that hold the rest.
 */
export function checkAllocation(ledger: Ledger, child: string, request: Readonly<Record<string, string | number>>): void {
  const budget = parseResourceList(ledger.budget, { path: `${ledger.parent} budget` });
  const asked = parseResourceList(request, { path: 'resources' });
  const held = totals(ledger, child);
  const left = freeBudget(budget, new Map([...held].map(([resource, { total }]) => [resource, total])));
  for (const [resource, limit] of budget) {
    const fmt = (q: Quantity) => formatForResource(resource, q);
    const want = asked.get(resource);
    const { total, holders } = held.get(resource) ?? { total: 0n, holders: [] };
    const free = left.get(resource) ?? 0n;
    if (want === undefined) {
      throw new QuotaExceededError({
        resource,
        parent: ledger.parent,
        requested: 'nothing',
        budget: fmt(limit),
        free: fmt(free),
        holders,
        message: `${ledger.childKind} "${child}" must ask for ${resource}: ${ledger.parent} budgets it (${fmt(free)} of ${fmt(limit)} free), so every ${ledger.childKind} needs its share. Add ${resource} to its resources.`,
      });
    }
    if (total + want > limit) {
      throw new QuotaExceededError({
        resource,
        parent: ledger.parent,
        requested: fmt(want),
        budget: fmt(limit),
        free: fmt(free),
        holders,
        message:
          free === 0n
            ? `${ledger.childKind} "${child}" asks for ${resource}=${fmt(want)}, but ${ledger.parent} has none free of ${fmt(limit)} (${describeHolders(holders)}). Free some up (shrink or delete a ${ledger.childKind}), or ask for a bigger budget.`
            : `${ledger.childKind} "${child}" asks for ${resource}=${fmt(want)}, but ${ledger.parent} has only ${fmt(free)} free of ${fmt(limit)} (${describeHolders(holders)}). Ask for ${fmt(free)} or less, or free some up.`,
      });
    }
  }
}

/**
 * Checks that a parent's new budget still covers what its children hold.
 *
 * @throws {QuotaExceededError} naming the resource and the children holding it.
 */
export function checkBudgetChange(ledger: Ledger, newBudget: Readonly<Record<string, string | number>>): void {
  const budget = parseResourceList(newBudget, { path: 'resources' });
  const held = totals(ledger, '');
  for (const [resource, limit] of budget) {
    const fmt = (q: Quantity) => formatForResource(resource, q);
    const { total, holders } = held.get(resource) ?? { total: 0n, holders: [] };
    if (total > limit) {
      throw new QuotaExceededError({
        resource,
        parent: ledger.parent,
        requested: fmt(limit),
        budget: fmt(limit),
        free: '0',
        holders,
        message: `${ledger.parent} cannot shrink ${resource} to ${fmt(limit)}: its ${ledger.childKind}s hold ${fmt(total)} (${describeHolders(holders)}). Shrink or delete them first, or keep ${resource} at ${fmt(total)} or more.`,
      });
    }
  }
}

/** The sum of all allocations, per resource, in Kubernetes syntax. */
export function allocatedTotal(ledger: Pick<Ledger, 'allocations'>): Record<string, string> {
  const sums = new Map<string, Quantity>();
  for (const list of Object.values(ledger.allocations)) {
    for (const [resource, amount] of parseResourceList(list)) sums.set(resource, (sums.get(resource) ?? 0n) + amount);
  }
  return Object.fromEntries([...sums].sort(([a], [b]) => a.localeCompare(b)).map(([r, q]) => [r, formatForResource(r, q)]));
}
