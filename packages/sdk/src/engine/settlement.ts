import { randomUUID } from 'node:crypto';
import {
  countedWhileInFlight,
  lapseMs,
  recount,
  type Settlement,
  sameTotals,
  tookEffect,
  withRelease,
  withSettlements,
} from '../budget/reservations.ts';
import { onConflictRetry } from '../cluster/index.ts';
import type { Organization, Reservation, Status, Tenant } from '../model/index.ts';
import { canonicalResources, sameResources } from '../quantity/index.ts';
import type { EngineContext } from './context.ts';
import { type Held, queueSettle, releasedOther, withinLease } from './allocation.ts';
import { type ParentRef, parentKey, recordedAllocation } from './parent-ref.ts';
import { migrateLegacyLedger } from './legacy-ledger.ts';
import { type AnyCr, writeStatus } from './status.ts';

type Parent = Organization | Tenant;

/** How long the operator leaves a decided reservation of another process for that process to settle. */
const DECIDED_WAIT_MS = 5_000;

/**
 * The child's status with `held` recorded in it (its allocation and the
 * reservation's id), or undefined when it must not be: the copy has moved on
 * from the allocation the change started from, or the lease has run out,
 * after which the operator may give the reservation back. A copy that
 * already records it is returned as it is.
 */
export function recordingStatus(current: AnyCr, held: Held, inLease: boolean): Status | undefined {
  const { entry } = held;
  if (current.status?.allocationId === entry.id) return current.status;
  if (!inLease || !sameResources(recordedAllocation(current as never), entry.basis ?? {})) return undefined;
  return { ...current.status, allocation: canonicalResources(entry.target ?? {}), allocationId: entry.id };
}

/**
 * Records `held` in the child before anything is provisioned from it, in a
 * status write of its own, so that the lease need only cover reserving and
 * recording. The caller settles it once its quota (or its own status, for a
 * tenant) reflects the change, so that a shrink frees nothing the child's
 * objects still grant. A child that could not record it waits, and the
 * reservation is given back.
 *
 * @returns the child as written, and whether it recorded the reservation.
 */
export async function recordAllocation<T extends AnyCr>(
  ctx: EngineContext,
  ref: ParentRef<Parent>,
  child: T,
  held: Held,
): Promise<{ object: T; recorded: boolean }> {
  let object = child;
  if (recordingStatus(child, held, withinLease(ctx, held))) {
    ({ object } = await writeStatus(
      ctx,
      child,
      (current) => recordingStatus(current, held, withinLease(ctx, held)) ?? current.status ?? {},
    ));
  }
  const recorded = object.status?.allocationId === held.entry.id;
  // A recorded shrink is given back only once the child's own status and objects say so (the caller settles
  // it after its last write); one that could not be recorded is given back now.
  if (!recorded) void queueSettle(ctx, ref, held.child, held.entry.id, false);
  return { object, recorded };
}

/**
 * Gives a deleted child's allocation back to its parent, once its namespace
 * is gone: the amount the parent counts for it (what it recorded, or what a
 * change in flight started from and added) comes off the total in one write,
 * and a `release` reservation stays until the child is gone, so that a retry
 * after a crash gives nothing back twice. The child is read after the
 * parent, so that what it recorded is not older than the total.
 */
export async function releaseChild(ctx: EngineContext, ref: ParentRef<Parent>, child: string): Promise<Reservation | undefined> {
  return onConflictRetry(async () => {
    let parent = (await ref.store.get(ref.namespace, ref.name)) as Parent | undefined;
    if (!parent) return undefined;
    if (parent.status?.allocations) parent = await migrateLegacyLedger(ctx, ref, parent);
    const live = await ref.children.get(ref.childNamespace, child);
    const found = parent.status?.reservations?.[child];
    // A release of an earlier child of this name is over once this one exists: it held nothing of its own.
    const entry = found?.kind === 'release' && live && releasedOther(found, live) ? undefined : found;
    if (entry?.kind === 'release') return entry;
    // A change in flight is replaced, not settled: whether or not the child recorded it, the parent counts
    // where it started plus its growth, and all of that comes off.
    const counted = entry ? countedWhileInFlight(entry) : recordedAllocation(live as never);
    if (entry) ctx.owned.delete(entry.id);
    const release: Reservation = {
      id: randomUUID(),
      kind: 'release',
      since: new Date(ctx.now()).toISOString(),
      leaseSeconds: 0,
      basis: counted,
      ...(live?.metadata.uid && { uid: live.metadata.uid }),
    };
    await ref.store.replaceStatus(parent as never, withRelease(parent.status, child, release, counted));
    return release;
  });
}

/** After a released child is gone: removes its `release` reservation, in the next write of the parent. */
export function forgetReleased(ctx: EngineContext, ref: ParentRef<Parent>, child: string, release: Reservation | undefined): void {
  if (release) queueSettle(ctx, ref, child, release.id, true);
}

/** Children as the parent's reconcile read them from its cache. */
interface Known {
  name: string;
  uid: string | undefined;
  allocation: Readonly<Record<string, string | number>> | undefined;
  allocationId: string | undefined;
  appliedAllocationId: string | undefined;
}

/**
 * The operator's upkeep of a parent's budget, level-based: settles every
 * reservation whose outcome is decided (a change its child recorded, a
 * release of a child that is gone), gives back the growth of a change that
 * its maker could no longer record (its lease and the grace period are
 * over: the maker crashed), moves a ledger of the first design, and, when
 * nothing is in flight, recounts the total from the children and repairs it
 * if it drifted. The cache decides what to look at; every change is decided
 * on the API server's copies and written with compare-and-swap.
 *
 * @returns when a reservation becomes due, so the caller can look again then.
 */
export async function upkeepBudget(
  ctx: EngineContext,
  ref: ParentRef<Parent>,
  parent: Parent,
  children: readonly Known[],
): Promise<{ dueMs: number | undefined; released: string[] }> {
  const released: string[] = [];
  if (parent.status?.allocations) {
    await migrateLegacyLedger(ctx, ref, parent);
    return { dueMs: 0, released };
  }
  const byName = new Map(children.map((c) => [c.name, c]));
  const reservations = Object.entries(parent.status?.reservations ?? {});
  const prefix = `${parentKey(ref)}|`;
  const now = ctx.now();
  let dueMs: number | undefined;
  // Whether `key` has been seen for `waitMs` by this clock; if not, when to look again.
  const waited = (key: string, waitMs: number): boolean => {
    const firstSeen = ctx.orphansSeen.get(prefix + key) ?? now;
    ctx.orphansSeen.set(prefix + key, firstSeen);
    if (now >= firstSeen + waitMs) return true;
    dueMs = Math.min(dueMs ?? Number.POSITIVE_INFINITY, firstSeen + waitMs - now);
    return false;
  };
  const settle: Settlement[] = [];
  for (const [child, entry] of reservations) {
    if (ctx.owned.has(entry.id)) continue;
    const known = byName.get(child);
    // What is decided is settled after a short wait, so that a maker that is alive settles its own
    // (usually in its next write) instead of both writing the parent and one of them retrying.
    if (entry.kind === 'release') {
      const gone = !known || releasedOther(entry, { metadata: known });
      if (gone && waited(entry.id, Math.min(ctx.orphanGraceMs, DECIDED_WAIT_MS))) settle.push({ child, id: entry.id, tookEffect: true });
      continue;
    }
    if (known?.allocationId === entry.id) {
      // Recorded but not yet in force (a shrink its quota still grants): whoever puts it in force settles it,
      // its maker or, once the maker's lease has lapsed, the child's reconcile here. Look again until then.
      if (!tookEffect(entry, known)) dueMs = Math.min(dueMs ?? Number.POSITIVE_INFINITY, DECIDED_WAIT_MS);
      else if (waited(entry.id, Math.min(ctx.orphanGraceMs, DECIDED_WAIT_MS))) settle.push({ child, id: entry.id, tookEffect: true });
      continue;
    }
    // Its maker records it within its lease or never; for a child that does not exist (a create that
    // crashed before creating it) the grace period is the least wait, as it always was.
    const leaseOver = lapseMs(entry);
    if (!waited(entry.id, known ? leaseOver : Math.max(ctx.orphanGraceMs, leaseOver))) continue;
    const live = await ref.children.get(ref.childNamespace, child);
    const recorded = live?.status?.allocationId === entry.id;
    if (recorded && !tookEffect(entry, live?.status)) {
      dueMs = Math.min(dueMs ?? Number.POSITIVE_INFINITY, DECIDED_WAIT_MS);
      continue;
    }
    settle.push({ child, id: entry.id, tookEffect: recorded });
    if (!recorded && !live) released.push(child);
  }
  // The cache may show the parent ahead of its children for a moment; only a difference that lasts is worth
  // the fresh list of every child that a recount takes.
  const drifted = reservations.length === 0 && !sameTotals(parent.status?.usage?.allocated, recount(children));
  const recountDue = drifted && waited('recount', Math.min(ctx.orphanGraceMs, DECIDED_WAIT_MS));
  // Forget what this parent no longer has, so that the timers do not grow with every reservation ever seen.
  const current = new Set([...reservations.map(([, e]) => prefix + e.id), ...(drifted ? [`${prefix}recount`] : [])]);
  for (const key of ctx.orphansSeen.keys())
    if (key.startsWith(prefix) && (!current.has(key) || settle.some((x) => prefix + x.id === key))) ctx.orphansSeen.delete(key);
  if (settle.length > 0) {
    await onConflictRetry(async () => {
      const fresh = (await ref.store.get(ref.namespace, ref.name)) as Parent | undefined;
      const status = fresh && withSettlements(fresh.status, settle);
      if (fresh && status) await ref.store.replaceStatus(fresh as never, status);
    });
    return { dueMs: 0, released };
  }
  if (recountDue) {
    ctx.orphansSeen.delete(`${prefix}recount`);
    await recountTotal(ref);
  }
  return { dueMs: Number.isFinite(ctx.orphanGraceMs) ? dueMs : undefined, released };
}

/**
 * Sets a parent's total to what its children have recorded, when nothing
 * is in flight. Decided on a fresh read of the parent and then of the
 * children (a child records a change only under a reservation, which would
 * change the parent and fail this write).
 */
async function recountTotal(ref: ParentRef<Parent>): Promise<void> {
  await onConflictRetry(async () => {
    const parent = (await ref.store.get(ref.namespace, ref.name)) as Parent | undefined;
    if (!parent || parent.status?.allocations || Object.keys(parent.status?.reservations ?? {}).length > 0) return;
    const children = await ref.children.list(ref.childNamespace);
    const total = recount(children.map((c) => ({ allocation: c.status?.allocation })));
    if (sameTotals(parent.status?.usage?.allocated, total)) return;
    await ref.store.replaceStatus(parent as never, { ...parent.status, usage: { ...parent.status?.usage, allocated: total } });
  });
}

/**
 * {@link upkeepBudget} for a parent's reconcile on the operator (the embedded SDK settles only its own
 * reservations), with an event for each reservation given back because its child never came.
 */
export async function upkeep(
  ctx: EngineContext,
  ref: ParentRef<Parent>,
  parent: Parent,
  children: readonly (Tenant | { metadata: { name: string; uid?: string }; status?: Status | undefined })[],
): Promise<number | undefined> {
  if (!ctx.reconcilesAll) return undefined;
  const known = children.map((c) => ({
    name: c.metadata.name,
    uid: c.metadata.uid,
    allocation: c.status?.allocation,
    allocationId: c.status?.allocationId,
    appliedAllocationId: c.status?.appliedAllocationId,
  }));
  const { dueMs, released } = await upkeepBudget(ctx, ref, parent, known);
  for (const name of released) {
    ctx.events.record(parent, {
      type: 'Warning',
      reason: 'ReleasedOrphanAllocation',
      action: 'Allocate',
      note: `released the allocation of ${ref.childKind} ${name}, which does not exist (a create that crashed half-way)`,
    });
  }
  return dueMs;
}
