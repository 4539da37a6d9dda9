import { checkAllocation, type Ledger } from '../budget/budget.ts';
import { allocatedTotal } from '../budget/budget.ts';
import { NotFoundError } from '../errors.ts';
import type { Organization, Status, Tenant } from '../model/index.ts';
import { formatResourceList, parseResourceList } from '../quantity/index.ts';
import { type CrStore, onConflictRetry } from './store.ts';

type Parent = Organization | Tenant;

/** Where a parent's budget ledger lives and how to name things in messages. */
export interface ParentRef<P extends Parent> {
  store: CrStore<P['kind']>;
  namespace: string | undefined;
  name: string;
  /** `organization acme` or `tenant acme/payments`. */
  label: string;
  childKind: 'tenant' | 'space';
}

function ledgerOf(parent: Parent, ref: ParentRef<Parent>): Ledger {
  return { parent: ref.label, childKind: ref.childKind, budget: parent.spec.resources, allocations: parent.status?.allocations ?? {} };
}

function withAllocations(parent: Parent, allocations: Record<string, Record<string, string | number>>): Status {
  return {
    ...parent.status,
    allocations,
    usage: { ...parent.status?.usage, hard: formatResourceList(parseResourceList(parent.spec.resources)), allocated: allocatedTotal({ allocations }) },
  };
}

/**
 * Records `child`'s allocation in its parent's status, after checking that
 * it fits. The write carries the parent's resourceVersion, so concurrent
 * reservations serialise: each retry re-reads the ledger, and exactly the
 * requests that fit succeed. Returns the child's previous allocation, to
 * restore if the caller then fails.
 */
export async function reserve<P extends Parent>(
  ref: ParentRef<P>,
  child: string,
  request: Readonly<Record<string, string | number>>,
): Promise<Record<string, string | number> | undefined> {
  const canonical = formatResourceList(parseResourceList(request, { path: 'resources' }));
  return onConflictRetry(async () => {
    const parent = (await ref.store.get(ref.namespace, ref.name)) as Parent | undefined;
    if (!parent) throw new NotFoundError(`${ref.label} does not exist; create it first`);
    if (parent.metadata.deletionTimestamp) throw new NotFoundError(`${ref.label} is being deleted`);
    checkAllocation(ledgerOf(parent, ref as ParentRef<Parent>), child, canonical);
    const allocations = { ...(parent.status?.allocations ?? {}) };
    const previous = allocations[child];
    allocations[child] = canonical;
    await ref.store.replaceStatus(parent as never, withAllocations(parent, allocations));
    return previous;
  });
}

/** Removes `child`'s allocation, or puts back `restore` after a failed change. */
export async function release<P extends Parent>(ref: ParentRef<P>, child: string, restore?: Record<string, string | number>): Promise<void> {
  await onConflictRetry(async () => {
    const parent = (await ref.store.get(ref.namespace, ref.name)) as Parent | undefined;
    if (!parent) return;
    const allocations = { ...(parent.status?.allocations ?? {}) };
    if (restore) allocations[child] = restore;
    else if (child in allocations) delete allocations[child];
    else return;
    await ref.store.replaceStatus(parent as never, withAllocations(parent, allocations));
  });
}
