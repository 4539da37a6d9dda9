import { type BudgetHolder, QuotaExceededError } from '../errors.ts';
import type { Reservation, Status } from '../model/index.ts';
import { formatForResource, formatResourceList, parseResourceList, type Quantity } from '../quantity/index.ts';

// The arithmetic of ADR 0015: a parent keeps totals and the changes in flight, never a list of its
// children. Every function here is pure; engine/allocation.ts does the reads and compare-and-swap writes.

type ResourceMap = Readonly<Record<string, string | number>>;

/** What a parent's budget check needs: its effective budget and what its children hold in total. */
export interface Totals {
  /** `tenant acme/payments`, used in messages. */
  parent: string;
  /** The kind of the children, such as `space`, used in messages. */
  childKind: string;
  budget: ResourceMap;
  /** `status.usage.allocated`: every child's allocation plus the growth of every change in flight. */
  allocated: ResourceMap;
}

/** How a change from `basis` to `target` moves a parent's total, per resource. */
export interface Change {
  /** Added when the change is reserved. */
  grow: Map<string, Quantity>;
  /** Taken off when it takes effect. */
  shrink: Map<string, Quantity>;
}

/** Splits a change of one child's allocation into what it adds and what it gives back. */
export function changeOf(basis: ResourceMap, target: ResourceMap): Change {
  const before = parseResourceList(basis);
  const after = parseResourceList(target);
  const grow = new Map<string, Quantity>();
  const shrink = new Map<string, Quantity>();
  for (const resource of new Set([...before.keys(), ...after.keys()])) {
    const delta = (after.get(resource) ?? 0n) - (before.get(resource) ?? 0n);
    if (delta > 0n) grow.set(resource, delta);
    if (delta < 0n) shrink.set(resource, -delta);
  }
  return { grow, shrink };
}

function holdersOf(children: Readonly<Record<string, ResourceMap>>, childKind: string, except: string, resource: string): BudgetHolder[] {
  const out: BudgetHolder[] = [];
  for (const [name, list] of Object.entries(children)) {
    if (name === except) continue;
    const amount = parseResourceList(list).get(resource) ?? 0n;
    if (amount > 0n) out.push({ name: `${childKind}/${name}`, amount: formatForResource(resource, amount) });
  }
  return out;
}

function describeHolders(holders: readonly BudgetHolder[]): string {
  return holders.length === 0 ? 'nothing else holds any' : `held by ${holders.map((h) => `${h.name} (${h.amount})`).join(', ')}`;
}

/**
 * Checks that `child` may change its allocation from `basis` to `target`: it must ask for every
 * resource the parent budgets, and every resource it grows must fit what is free. A resource that does
 * not grow always passes, so that shrinking works even in an overcommitted parent.
 *
 * @param children The other children's allocations, for naming who holds the budget in a refusal;
 *   optional, since only a refusal needs them.
 * @throws {QuotaExceededError} naming the resource, the amount asked, the amount free and the holders.
 */
export function checkChange(
  totals: Totals,
  child: string,
  basis: ResourceMap,
  target: ResourceMap,
  children: Readonly<Record<string, ResourceMap>> = {},
): void {
  const budget = parseResourceList(totals.budget, { path: `${totals.parent} budget` });
  const allocated = parseResourceList(totals.allocated);
  const own = parseResourceList(basis);
  const asked = parseResourceList(target, { path: 'resources' });
  const { grow } = changeOf(basis, target);
  for (const [resource, limit] of budget) {
    const fmt = (q: Quantity) => formatForResource(resource, q);
    const left = limit - (allocated.get(resource) ?? 0n) + (own.get(resource) ?? 0n);
    const free = left > 0n ? left : 0n;
    const holders = () => holdersOf(children, totals.childKind, child, resource);
    const want = asked.get(resource);
    if (want === undefined) {
      throw new QuotaExceededError({
        resource,
        parent: totals.parent,
        requested: 'nothing',
        budget: fmt(limit),
        free: fmt(free),
        holders: holders(),
        message: `${totals.childKind} "${child}" must ask for ${resource}: ${totals.parent} budgets it (${fmt(free)} of ${fmt(limit)} free), so every ${totals.childKind} needs its share. Add ${resource} to its resources.`,
      });
    }
    const growth = grow.get(resource) ?? 0n;
    if (growth > 0n && (allocated.get(resource) ?? 0n) + growth > limit) {
      const held = holders();
      throw new QuotaExceededError({
        resource,
        parent: totals.parent,
        requested: fmt(want),
        budget: fmt(limit),
        free: fmt(free),
        holders: held,
        message:
          free === 0n
            ? `${totals.childKind} "${child}" asks for ${resource}=${fmt(want)}, but ${totals.parent} has none free of ${fmt(limit)} (${describeHolders(held)}). Free some up (shrink or delete a ${totals.childKind}), or ask for a bigger budget.`
            : `${totals.childKind} "${child}" asks for ${resource}=${fmt(want)}, but ${totals.parent} has only ${fmt(free)} free of ${fmt(limit)} (${describeHolders(held)}). Ask for ${fmt(free)} or less, or free some up.`,
      });
    }
  }
}

/**
 * Checks that a parent's new budget still covers what its children hold in total.
 *
 * @param children The children's allocations, for naming who holds the budget in a refusal.
 * @throws {QuotaExceededError} naming the resource and the children holding it.
 */
export function checkBudgetChange(totals: Totals, newBudget: ResourceMap, children: Readonly<Record<string, ResourceMap>> = {}): void {
  const budget = parseResourceList(newBudget, { path: 'resources' });
  const allocated = parseResourceList(totals.allocated);
  for (const [resource, limit] of budget) {
    const fmt = (q: Quantity) => formatForResource(resource, q);
    const total = allocated.get(resource) ?? 0n;
    if (total > limit) {
      const holders = holdersOf(children, totals.childKind, '', resource);
      throw new QuotaExceededError({
        resource,
        parent: totals.parent,
        requested: fmt(limit),
        budget: fmt(limit),
        free: '0',
        holders,
        message: `${totals.parent} cannot shrink ${resource} to ${fmt(limit)}: its ${totals.childKind}s hold ${fmt(total)} (${describeHolders(holders)}). Shrink or delete them first, or keep ${resource} at ${fmt(total)} or more.`,
      });
    }
  }
}

function add(list: ResourceMap | undefined, delta: ReadonlyMap<string, Quantity>, sign: 1n | -1n): Record<string, string> {
  const sums = parseResourceList(list ?? {});
  for (const [resource, q] of delta) {
    const next = (sums.get(resource) ?? 0n) + sign * q;
    // Below zero only if someone edited the total by hand; the operator's recount repairs it from the children.
    sums.set(resource, next > 0n ? next : 0n);
  }
  return formatResourceList(new Map([...sums].sort(([a], [b]) => a.localeCompare(b))));
}

function withTotals(status: Status | undefined, allocated: Record<string, string>, reservations: Record<string, Reservation>): Status {
  const next: Status = { ...status, usage: { ...status?.usage, allocated } };
  if (Object.keys(reservations).length > 0) next.reservations = reservations;
  else delete next.reservations;
  return next;
}

/** The parent's status with `entry` (a change of `child`) reserved: its growth counted at once. */
export function withReservation(status: Status | undefined, child: string, entry: Reservation): Status {
  const grow = parseResourceList(entry.grow ?? {});
  return withTotals(status, add(status?.usage?.allocated, grow, 1n), { ...status?.reservations, [child]: entry });
}

/**
 * The parent's status with `child`'s reservation `id` settled: when the change took effect (the child
 * recorded it) its shrink is given back; when it did not, its growth is. A reservation already settled,
 * or replaced by another, is left alone, so settling twice changes nothing.
 */
export function withSettled(status: Status | undefined, child: string, id: string, tookEffect: boolean): Status | undefined {
  const entry = status?.reservations?.[child];
  if (!entry || entry.id !== id) return undefined;
  const { [child]: _, ...rest } = status?.reservations ?? {};
  if (entry.kind === 'release') return withTotals(status, formatResourceList(parseResourceList(status?.usage?.allocated ?? {})), rest);
  const back = parseResourceList((tookEffect ? entry.shrink : entry.grow) ?? {});
  return withTotals(status, add(status?.usage?.allocated, back, -1n), rest);
}

/** A settlement of one reservation, as {@link withSettled} takes it. */
export interface Settlement {
  child: string;
  id: string;
  tookEffect: boolean;
}

/** The parent's status with every one of `settlements` settled, or undefined when none of them was still there. */
export function withSettlements(status: Status | undefined, settlements: Iterable<Settlement>): Status | undefined {
  let next: Status | undefined;
  for (const s of settlements) next = withSettled(next ?? status, s.child, s.id, s.tookEffect) ?? next;
  return next;
}

/**
 * The parent's status with `child`'s whole allocation given back, as a `release` reservation that
 * stays until the child is gone, so that a retry after a crash does not give it back twice.
 */
export function withRelease(status: Status | undefined, child: string, entry: Reservation, allocation: ResourceMap): Status {
  return withTotals(status, add(status?.usage?.allocated, parseResourceList(allocation), -1n), {
    ...status?.reservations,
    [child]: entry,
  });
}

/**
 * Whether `entry`, a change of a child, has taken effect in it as far as the parent may count: the child
 * recorded it (`status.allocationId`), and when the change gives something back, the child's quota (a
 * Space) or grant (a Tenant) already applies it (`status.appliedAllocationId`). A shrink given back any
 * earlier would let a sibling take what the child's quota still grants.
 */
export function tookEffect(entry: Reservation, child: Pick<Status, 'allocationId' | 'appliedAllocationId'> | undefined): boolean {
  if (child?.allocationId !== entry.id) return false;
  return Object.keys(entry.shrink ?? {}).length === 0 || child.appliedAllocationId === entry.id;
}

/**
 * Whether `entry`'s maker can no longer record it: twice its lease has passed since it was made, by the
 * wall clock of whoever asks (so clocks must agree to within a lease, as Kubernetes' own leases assume).
 */
export function leaseLapsed(entry: Reservation, nowMs: number): boolean {
  return nowMs - Date.parse(entry.since) > lapseMs(entry);
}

/** Twice `entry`'s lease, in milliseconds: after that its maker can no longer record it. */
export function lapseMs(entry: Pick<Reservation, 'leaseSeconds'>): number {
  return 2 * entry.leaseSeconds * 1000;
}

/** What a parent counts for a child while `entry`, a change of it, is in flight: where it started, plus its growth. */
export function countedWhileInFlight(entry: Reservation): Record<string, string> {
  return add(entry.basis, parseResourceList(entry.grow ?? {}), 1n);
}

/**
 * The total that `children`'s recorded allocations add up to. Only meaningful for a parent with no
 * change in flight, whose total must then equal it exactly.
 */
export function recount(children: readonly { allocation?: ResourceMap | undefined }[]): Record<string, string> {
  const sums = new Map<string, Quantity>();
  for (const child of children) {
    for (const [r, q] of parseResourceList(child.allocation ?? {})) sums.set(r, (sums.get(r) ?? 0n) + q);
  }
  return formatResourceList(new Map([...sums].filter(([, q]) => q > 0n).sort(([a], [b]) => a.localeCompare(b))));
}

/** Whether two totals are equal, a resource at zero counting as absent. */
export function sameTotals(a: ResourceMap | undefined, b: ResourceMap | undefined): boolean {
  const x = [...parseResourceList(a ?? {})].filter(([, q]) => q > 0n);
  const y = new Map([...parseResourceList(b ?? {})].filter(([, q]) => q > 0n));
  return x.length === y.size && x.every(([r, q]) => y.get(r) === q);
}
