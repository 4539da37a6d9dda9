import { allocatedTotal, checkAllocation, type Ledger } from '../budget/budget.ts';
import { NotFoundError, QuotaExceededError, SpacekitError } from '../errors.ts';
import type { Organization, Status, Tenant } from '../model/index.ts';
import { canonicalResources, formatResourceList, parseResourceList, type Quantity, sameResources } from '../quantity/index.ts';
import { isNewer } from '../informer/informer.ts';
import type { KeyedLock } from '../util/keyed-lock.ts';
import { type CrStore, onConflictRetry } from '../cluster/index.ts';

// The engine's modules and the API take these from here; their home is quantity/.
export { canonicalResources, sameResources };

type Parent = Organization | Tenant;
type ResourceMap = Record<string, string | number>;

/** Where a parent's budget ledger lives and how to name things in messages. */
export interface ParentRef<P extends Parent> {
  store: CrStore<P['kind']>;
  namespace: string | undefined;
  name: string;
  /** `organization acme` or `tenant acme/payments`. */
  label: string;
  childKind: 'tenant' | 'space';
}

/**
 * True when `next` asks for no resource more than `previous` held and still
 * names every resource the budget caps, so it needs no budget and may pass
 * even when the parent is overcommitted.
 */
function noIncrease(previous: Readonly<ResourceMap> | undefined, next: Readonly<ResourceMap>, budget: Readonly<ResourceMap>): boolean {
  if (!previous) return false;
  const before = parseResourceList(previous);
  const after = parseResourceList(next);
  return (
    [...parseResourceList(budget).keys()].every((name) => after.has(name)) && [...after].every(([name, q]) => q <= (before.get(name) ?? 0n))
  );
}

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

/** The parent's ledger as the budget checks read it. */
export function ledgerOf(parent: Parent, ref: Pick<ParentRef<Parent>, 'label' | 'childKind'>): Ledger | undefined {
  const budget = effectiveBudget(parent);
  if (!budget) return undefined;
  return { parent: ref.label, childKind: ref.childKind, budget, allocations: parent.status?.allocations ?? {} };
}

function notReady(ref: Pick<ParentRef<Parent>, 'label'>): SpacekitError {
  return new SpacekitError('CONFLICT', `${ref.label} is not provisioned yet, so it has no budget to give; wait until it is Ready`);
}

/** The parent's status with a new ledger; `usage.allocated` follows it, the rest is kept. */
export function withAllocations(parent: Parent, allocations: Record<string, ResourceMap>): Status {
  return { ...parent.status, allocations, usage: { ...parent.status?.usage, allocated: allocatedTotal({ allocations }) } };
}

/**
 * Records `child`'s allocation in its parent's status, after checking that
 * it fits. The write carries the parent's resourceVersion, so concurrent
 * reservations serialise: each retry re-reads the ledger, and exactly the
 * requests that fit succeed. Returns the child's previous allocation, to
 * restore if the caller then fails, and the parent as written.
 */
export async function reserve<P extends Parent>(
  ref: ParentRef<P>,
  child: string,
  request: Readonly<ResourceMap>,
  /** A copy of the parent the caller has just read, to try first; a conflict reads it again. */
  known?: P,
  /**
   * Called before an existing entry for `child` is replaced, for a caller
   * that means to create a new child: it throws if the child exists, so
   * that its allocation is never overwritten, even for a moment.
   */
  beforeReplacing?: (previous: ResourceMap) => Promise<void>,
): Promise<{ previous: ResourceMap | undefined; parent: P }> {
  const canonical = canonicalResources(request);
  const read = async () => {
    const parent = (await ref.store.get(ref.namespace, ref.name)) as P | undefined;
    if (!parent) throw new NotFoundError(`${ref.label} does not exist; create it first`);
    return parent;
  };
  const attempt = async (parent: P) => {
    if (parent.metadata.deletionTimestamp) throw new NotFoundError(`${ref.label} is being deleted`);
    const ledger = ledgerOf(parent, ref);
    if (!ledger) throw notReady(ref);
    const previous = ledger.allocations[child];
    if (previous && beforeReplacing) await beforeReplacing(previous);
    if (sameResources(previous, canonical)) return { previous, parent, wrote: false };
    if (!noIncrease(previous, canonical, ledger.budget)) checkAllocation(ledger, child, canonical);
    const allocations = { ...ledger.allocations, [child]: canonical };
    const written = (await ref.store.replaceStatus(parent as never, withAllocations(parent, allocations))) as unknown as P;
    return { previous, parent: written, wrote: true };
  };
  let given: P | undefined = known;
  const result = await onConflictRetry(async () => {
    if (!given) return attempt(await read());
    const copy = given;
    given = undefined;
    try {
      const outcome = await attempt(copy);
      // "Already allocated" read from a held copy is a decision without a write: confirm it too.
      return outcome.wrote ? outcome : await attempt(await read());
    } catch (err) {
      // A copy the caller held may be stale in either direction: a write fails with a conflict and is
      // retried, but a refusal must be confirmed against what the API server holds now.
      if (err instanceof QuotaExceededError || err instanceof NotFoundError || (err instanceof SpacekitError && err.code === 'CONFLICT')) {
        return attempt(await read());
      }
      throw err;
    }
  });
  return { previous: result.previous, parent: result.parent };
}

/** Removes `child`'s allocation, or puts back `restore` after a failed change. Makes no write when there is nothing to change. */
export async function release<P extends Parent>(ref: ParentRef<P>, child: string, restore?: ResourceMap): Promise<void> {
  await onConflictRetry(async () => {
    const parent = (await ref.store.get(ref.namespace, ref.name)) as Parent | undefined;
    if (!parent) return;
    const allocations = { ...(parent.status?.allocations ?? {}) };
    if (restore) {
      if (sameResources(allocations[child], restore)) return;
      allocations[child] = restore;
    } else if (child in allocations) delete allocations[child];
    else return;
    await ref.store.replaceStatus(parent as never, withAllocations(parent, allocations));
  });
}

/** A child asking the ledger for its spec's resources. */
export interface AllocationRequest {
  name: string;
  /** Orders requests: older first, then by name, so the same requests always get the same winners. */
  createdAt: string;
  resources: Readonly<ResourceMap>;
}

/** What the ledger decided for one child: its allocation now in force, and why its spec did not get in when it did not. */
export interface AllocationDecision {
  /** The allocation in force; undefined when the child has none (a new child that did not fit). */
  granted: Record<string, string> | undefined;
  /** Set when the spec's resources were refused; the message says what is free and who holds the rest. */
  refusal: QuotaExceededError | undefined;
}

/**
 * Decides, in one ledger write, every pending request of one parent's
 * children: oldest first (then by name), each granted if it fits what the
 * earlier ones left, refused otherwise; a refused change keeps the child's
 * previous allocation. A change that asks for no resource more than the
 * child already holds is always granted, even when the parent is
 * overcommitted. Retries on conflict with a fresh read of the parent.
 *
 * @returns the decision for every request, by child name.
 * @throws {NotFoundError} when the parent is gone; a `CONFLICT` {@link SpacekitError} when it has no budget yet.
 */
export async function allocate<P extends Parent>(
  ref: ParentRef<P>,
  requests: readonly AllocationRequest[],
): Promise<Map<string, AllocationDecision>> {
  const ordered = [...requests].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name));
  return onConflictRetry(async () => {
    const parent = (await ref.store.get(ref.namespace, ref.name)) as P | undefined;
    if (!parent) throw new NotFoundError(`${ref.label} does not exist`);
    const ledger = ledgerOf(parent, ref);
    if (!ledger) throw notReady(ref);
    const allocations: Record<string, ResourceMap> = { ...ledger.allocations };
    const decisions = new Map<string, AllocationDecision>();
    let changed = false;
    for (const request of ordered) {
      const wanted = canonicalResources(request.resources);
      const previous = allocations[request.name];
      if (sameResources(previous, wanted) || noIncrease(previous, wanted, ledger.budget)) {
        if (!sameResources(previous, wanted)) changed = true;
        allocations[request.name] = wanted;
        decisions.set(request.name, { granted: wanted, refusal: undefined });
        continue;
      }
      try {
        checkAllocation({ ...ledger, allocations }, request.name, wanted);
        allocations[request.name] = wanted;
        changed = true;
        decisions.set(request.name, { granted: wanted, refusal: undefined });
      } catch (err) {
        if (!(err instanceof QuotaExceededError)) throw err;
        decisions.set(request.name, { granted: previous ? canonicalResources(previous) : undefined, refusal: err });
      }
    }
    if (changed) await ref.store.replaceStatus(parent as never, withAllocations(parent, allocations));
    return decisions;
  });
}

/**
 * {@link reserve}, one at a time per parent in this process, starting from
 * the newest copy of the parent this process has seen: concurrent creates in
 * one tenant (parallel test workers, a bulk provisioning) then queue for a
 * few milliseconds each instead of colliding on the ledger, retrying after
 * conflicts and re-reading it. Other processes still serialise through the
 * parent's resourceVersion.
 */
export async function reserveInProcess<P extends Parent>(
  ctx: { budgetLock: KeyedLock; lastParents: Map<string, Organization | Tenant> },
  ref: ParentRef<P>,
  child: string,
  request: Readonly<ResourceMap>,
  known?: P,
  beforeReplacing?: (previous: ResourceMap) => Promise<void>,
): Promise<{ previous: ResourceMap | undefined; parent: P }> {
  const key = `${ref.store.kind}/${ref.namespace ?? ''}/${ref.name}`;
  return ctx.budgetLock.run(key, async () => {
    const last = ctx.lastParents.get(key) as P | undefined;
    const start = !known ? last : !last ? known : isNewer(last.metadata.resourceVersion, known.metadata.resourceVersion) ? last : known;
    try {
      const result = await reserve(ref, child, request, start, beforeReplacing);
      ctx.lastParents.set(key, result.parent);
      return result;
    } catch (err) {
      ctx.lastParents.delete(key);
      throw err;
    }
  });
}
