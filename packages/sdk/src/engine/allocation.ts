import { randomUUID } from 'node:crypto';
import {
  changeOf,
  checkChange,
  leaseLapsed,
  type Settlement,
  type Totals,
  tookEffect,
  withReservation,
  withSettled,
  withSettlements,
} from '../budget/reservations.ts';
import { NotFoundError, QuotaExceededError, SpacekitError } from '../errors.ts';
import type { Organization, Reservation, Status, Tenant } from '../model/index.ts';
import { canonicalResources, formatResourceList, parseResourceList, type Quantity, sameResources } from '../quantity/index.ts';
import { isNewer } from '../informer/informer.ts';
import { onConflictRetry } from '../cluster/index.ts';
import type { EngineContext } from './context.ts';
import { migrateLegacyLedger } from './legacy-ledger.ts';
import { queueSettle } from './settle-queue.ts';
import { type Child, type ParentRef, parentKey, recordedAllocation } from './parent-ref.ts';

export { type ParentRef, parentKey, recordedAllocation };
export { queueSettle, settled } from './settle-queue.ts';

// The engine's modules and the API take these from here; their home is quantity/.
export { canonicalResources, sameResources };

type Parent = Organization | Tenant;
type ResourceMap = Record<string, string | number>;

/**
 * The budget a parent's children may share. For an organization it is its
 * spec. For a tenant it is the smaller, per resource, of its spec and the
 * allocation its organization granted (recorded as `status.usage.hard`): a
 * tenant whose growth was refused keeps its old budget, and a spec just cut
 * counts at once, before any status catches up. A tenant never reconciled
 * has no grant yet, so it has no budget to give (undefined).
 */
export function effectiveBudget(parent: Parent): Record<string, string> | undefined {
  const spec = parseResourceList(parent.spec.resources);
  if (parent.kind === 'Organization') return formatResourceList(spec);
  const hard = parent.status?.usage?.hard;
  if (!hard) return undefined;
  const granted = parseResourceList(hard);
  const budget = new Map<string, Quantity>();
  for (const [name, q] of spec) {
    const g = granted.get(name) ?? 0n;
    budget.set(name, q < g ? q : g);
  }
  return formatResourceList(budget);
}

/** The parent's budget and total as the checks read them; undefined while it has no budget to give. */
export function totalsOf(parent: Parent, ref: Pick<ParentRef<Parent>, 'label' | 'childKind'>): Totals | undefined {
  const budget = effectiveBudget(parent);
  if (!budget) return undefined;
  return { parent: ref.label, childKind: ref.childKind, budget, allocated: parent.status?.usage?.allocated ?? {} };
}

function notReady(ref: Pick<ParentRef<Parent>, 'label'>): SpacekitError {
  return new SpacekitError('CONFLICT', `${ref.label} is not provisioned yet, so it has no budget to give; wait until it is Ready`);
}

function inFlight(ref: ParentRef<Parent>, child: string, entry: Reservation): SpacekitError {
  return new SpacekitError(
    'CONFLICT',
    `another change of ${ref.childKind} "${child}" is in flight in ${ref.label} (reserved ${entry.since}); try again in a moment`,
  );
}

/** The other children's allocations, read only to say who holds the budget when a request is refused. */
export async function childAllocations(ref: ParentRef<Parent>): Promise<Record<string, Record<string, string>>> {
  const children = (await ref.children.list(ref.childNamespace)) as Child[];
  return Object.fromEntries(children.map((c) => [c.metadata.name, recordedAllocation(c)]));
}

/** A reservation this process made and has still to record in the child. */
export interface Held {
  child: string;
  entry: Reservation;
  /** `performance.now()` when it was written; the child records it within the lease or not at all. */
  reservedAt: number;
}

/** Whether a reservation made by this process may still be recorded in its child. */
export function withinLease(ctx: EngineContext, held: Pick<Held, 'reservedAt'>): boolean {
  return performance.now() - held.reservedAt < ctx.reservationLeaseMs;
}

/**
 * Settles what a parent holds for `child` when that is already decided: a
 * change that has taken effect in the child, a release of a child that is
 * gone, or, for a new create, the reservation of a create of that name whose
 * maker can no longer record it. Returns the status with it settled, the same
 * status when there is nothing to settle, or undefined when a change of
 * `child` is still in flight.
 */
async function settledForeign(
  ref: ParentRef<Parent>,
  status: Status | undefined,
  child: string,
  creating: boolean,
  nowMs: number,
): Promise<Status | undefined> {
  const entry = status?.reservations?.[child];
  if (!entry) return status;
  const live = (await ref.children.get(ref.childNamespace, child)) as Child | undefined;
  if (entry.kind === 'release') return live && !releasedOther(entry, live) ? undefined : withSettled(status, child, entry.id, true);
  if (tookEffect(entry, live?.status)) return withSettled(status, child, entry.id, true);
  // A create that crashed between reserving and creating: a create of the same name takes its place (its
  // growth is given back), but only once its maker's lease has lapsed. A maker still within it may yet create
  // the child and record the share, which the parent would then no longer count.
  if (creating && !live && Object.keys(entry.basis ?? {}).length === 0 && leaseLapsed(entry, nowMs)) {
    return withSettled(status, child, entry.id, false);
  }
  return undefined;
}

/** Whether `live` is a child made since under the name of the one `entry` released. */
export function releasedOther(entry: Reservation, live: { metadata: { uid?: string | undefined } }): boolean {
  return entry.uid !== undefined && live.metadata.uid !== undefined && live.metadata.uid !== entry.uid;
}

/** A new reservation of a change from `basis` to `target`, made by this process under its lease. */
function changeReservation(ctx: EngineContext, basis: Record<string, string>, target: Record<string, string>): Reservation {
  const { grow, shrink } = changeOf(basis, target);
  return {
    id: randomUUID(),
    kind: 'change',
    since: new Date(ctx.now()).toISOString(),
    leaseSeconds: Math.ceil(ctx.reservationLeaseMs / 1000),
    basis,
    target,
    ...(grow.size > 0 && { grow: formatResourceList(grow) }),
    ...(shrink.size > 0 && { shrink: formatResourceList(shrink) }),
  };
}

/** What {@link reserve} does, beyond the change itself. */
export interface ReserveOptions<P extends Parent> {
  /** A copy of the parent the caller has just read, to try first; a conflict reads it again. */
  known?: P | undefined;
  /** Settlements of this process's earlier reservations, written in the same write. */
  settles?: readonly Settlement[];
}

/**
 * Reserves a change of `child`'s allocation from `basis` (what it has
 * recorded; `{}` for a child about to be created) to `target`, after
 * checking that its growth fits. One write of the parent's status, carrying
 * the resourceVersion read, so that concurrent reservations serialise and
 * exactly the requests that fit succeed. The child then records the change
 * (its `status.allocationId`) and the reservation is settled; until then the
 * parent counts the growth, and a crash leaves a reservation the operator
 * settles after its lease.
 *
 * @throws {QuotaExceededError} when the growth does not fit; {@link NotFoundError} when the parent is
 *   gone or going; a `CONFLICT` {@link SpacekitError} when it has no budget yet or another change of
 *   `child` is in flight.
 */
export async function reserve<P extends Parent>(
  ctx: EngineContext,
  ref: ParentRef<P>,
  child: string,
  basis: Readonly<ResourceMap>,
  target: Readonly<ResourceMap>,
  options: ReserveOptions<P> = {},
): Promise<{ held: Held; parent: P }> {
  const wanted = canonicalResources(target);
  const from = canonicalResources(basis);
  const read = async () => {
    const parent = (await ref.store.get(ref.namespace, ref.name)) as P | undefined;
    if (!parent) throw new NotFoundError(`${ref.label} does not exist; create it first`);
    return parent;
  };
  const attempt = async (read: P) => {
    if (read.metadata.deletionTimestamp) throw new NotFoundError(`${ref.label} is being deleted`);
    const parent = read.status?.allocations ? await migrateLegacyLedger(ctx, ref, read) : read;
    let status: Status | undefined = parent.status;
    status = withSettlements(status, options.settles ?? []) ?? status;
    status = await settledForeign(ref, status, child, Object.keys(from).length === 0, ctx.now());
    if (!status) throw inFlight(ref, child, parent.status?.reservations?.[child] as Reservation);
    const totals = totalsOf({ ...parent, status } as P, ref);
    if (!totals) throw notReady(ref);
    checkChange(totals, child, from, wanted);
    const entry = changeReservation(ctx, from, wanted);
    const reservedAt = performance.now();
    const written = (await ref.store.replaceStatus(parent as never, withReservation(status, child, entry))) as unknown as P;
    return { held: { child, entry, reservedAt }, parent: written };
  };
  let given = options.known;
  try {
    return await onConflictRetry(async () => {
      if (!given) return attempt(await read());
      const copy = given;
      given = undefined;
      try {
        return await attempt(copy);
      } catch (err) {
        // A copy the caller held may be stale in either direction: a write fails with a conflict and is
        // retried, but a refusal must be confirmed against what the API server holds now.
        if (
          err instanceof QuotaExceededError ||
          err instanceof NotFoundError ||
          (err instanceof SpacekitError && err.code === 'CONFLICT')
        ) {
          return attempt(await read());
        }
        throw err;
      }
    });
  } catch (err) {
    if (!(err instanceof QuotaExceededError)) throw err;
    // Only a refusal needs to say who holds the budget; that takes a read of the children.
    const parent = await read().catch(() => undefined);
    const totals = parent && totalsOf(parent, ref);
    if (!totals) throw err;
    try {
      checkChange(totals, child, from, wanted, await childAllocations(ref));
    } catch (named) {
      if (named instanceof QuotaExceededError) throw named;
    }
    throw err;
  }
}

/** A child asking its parent for its spec's resources. */
export interface AllocationRequest {
  name: string;
  /** Orders requests: older first, then by name, so the same requests always get the same winners. */
  createdAt: string;
  /** What the child has recorded, from which the change starts. */
  basis: Readonly<ResourceMap>;
  resources: Readonly<ResourceMap>;
}

/** What the parent decided for one child: the allocation now in force, and why its spec did not get in when it did not. */
export interface AllocationDecision {
  /** The allocation in force; undefined when the child has none (a new child that did not fit). */
  granted: Record<string, string> | undefined;
  /** Set when the spec's resources were refused; the message says what is free and who holds the rest. */
  refusal: QuotaExceededError | undefined;
  /** Set when `granted` is a change this process reserved, which the child's status must now record. */
  held?: Held;
  /** Set when another process's change of the child is in flight: nothing is decided, the child waits. */
  inFlight?: boolean;
  /**
   * Set when `granted` is another process's change that the child recorded but whose maker has let its
   * lease lapse: this reconcile puts it in force and then settles it, by this reservation id.
   */
  settles?: string;
}

/**
 * Decides, in one write of the parent's status, every pending request of its
 * children: oldest first (then by name), each reserved if its growth fits
 * what the earlier ones left, refused otherwise; a refused change keeps the
 * child's recorded allocation. Requests of children with a change already in
 * flight are left out. Retries on conflict with a fresh read of the parent.
 *
 * @returns the decision for every request decided, by child name.
 * @throws {NotFoundError} when the parent is gone; a `CONFLICT` {@link SpacekitError} when it has no budget yet.
 */
export async function allocate<P extends Parent>(
  ctx: EngineContext,
  ref: ParentRef<P>,
  requests: readonly AllocationRequest[],
  /** The children's allocations, to name who holds the budget in a refusal; a list from the API server by default. */
  options: { holders?: () => Promise<Record<string, Readonly<Record<string, string | number>>>> } = {},
): Promise<Map<string, AllocationDecision>> {
  const ordered = [...requests].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name));
  return onConflictRetry(async () => {
    let parent = (await ref.store.get(ref.namespace, ref.name)) as P | undefined;
    if (!parent) throw new NotFoundError(`${ref.label} does not exist`);
    if (parent.status?.allocations) parent = await migrateLegacyLedger(ctx, ref, parent);
    let status = parent.status;
    const decisions = new Map<string, AllocationDecision>();
    const held: Held[] = [];
    // Who holds the budget is read only for a refusal, and once per decision.
    let holders: Record<string, Readonly<Record<string, string | number>>> | undefined;
    const named = async (totals: Totals, name: string, basis: ResourceMap, wanted: ResourceMap, err: QuotaExceededError) => {
      holders ??= await (options.holders ?? (() => childAllocations(ref)))();
      try {
        checkChange(totals, name, basis, wanted, holders);
      } catch (again) {
        if (again instanceof QuotaExceededError) return again;
      }
      return err;
    };
    for (const request of ordered) {
      if (status?.reservations?.[request.name]) continue;
      const totals = totalsOf({ ...parent, status } as P, ref);
      if (!totals) throw notReady(ref);
      const basis = canonicalResources(request.basis);
      const wanted = canonicalResources(request.resources);
      if (sameResources(basis, wanted)) {
        decisions.set(request.name, { granted: wanted, refusal: undefined });
        continue;
      }
      try {
        checkChange(totals, request.name, basis, wanted);
      } catch (err) {
        if (!(err instanceof QuotaExceededError)) throw err;
        const refusal = await named(totals, request.name, basis, wanted, err);
        decisions.set(request.name, { granted: Object.keys(basis).length > 0 ? basis : undefined, refusal });
        continue;
      }
      const entry = changeReservation(ctx, basis, wanted);
      status = withReservation(status, request.name, entry);
      held.push({ child: request.name, entry, reservedAt: 0 });
    }
    if (held.length > 0) {
      const reservedAt = performance.now();
      await ref.store.replaceStatus(parent as never, status as Status);
      for (const h of held) {
        const own = { ...h, reservedAt };
        ctx.owned.set(h.entry.id, own);
        decisions.set(h.child, { granted: canonicalResources(h.entry.target ?? {}), refusal: undefined, held: own });
      }
    }
    return decisions;
  });
}

/**
 * {@link reserve}, one at a time per parent in this process, starting from
 * the newest copy of the parent this process has seen, and carrying the
 * settlements of this process's earlier reservations in the same write:
 * concurrent creates in one tenant (parallel test workers, a bulk
 * provisioning) then queue for a few milliseconds each instead of colliding
 * on the parent, and a burst costs about one write of the parent per create.
 * Other processes still serialise through the parent's resourceVersion.
 */
export async function reserveInProcess<P extends Parent>(
  ctx: EngineContext,
  ref: ParentRef<P>,
  child: string,
  basis: Readonly<ResourceMap>,
  target: Readonly<ResourceMap>,
  known?: P,
): Promise<{ held: Held; parent: P }> {
  const key = parentKey(ref);
  return ctx.budgetLock.run(key, async () => {
    const last = ctx.lastParents.get(key) as P | undefined;
    const start = !known ? last : !last ? known : isNewer(last.metadata.resourceVersion, known.metadata.resourceVersion) ? last : known;
    const pending = ctx.pendingSettles.get(key);
    ctx.pendingSettles.delete(key);
    const settles = [...(pending?.values() ?? [])];
    try {
      const result = await reserve(ctx, ref, child, basis, target, { known: start, settles });
      ctx.lastParents.set(key, result.parent);
      ctx.owned.set(result.held.entry.id, result.held);
      return result;
    } catch (err) {
      ctx.lastParents.delete(key);
      // The settlements did not get written with it; they go in their own write.
      for (const s of settles) queueSettle(ctx, ref, s.child, s.id, s.tookEffect);
      throw err;
    }
  });
}
