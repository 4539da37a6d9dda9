import { randomUUID } from 'node:crypto';
import { allocatedTotal } from '../budget/budget.ts';
import { onConflictRetry } from '../cluster/index.ts';
import type { Organization, Reservation, Status, Tenant } from '../model/index.ts';
import { canonicalResources } from '../quantity/index.ts';
import type { EngineContext } from './context.ts';
import { type ParentRef, parentKey, recordedAllocation } from './parent-ref.ts';

type Parent = Organization | Tenant;

/**
 * Moves a parent's ledger of the first design (ADR 0003: every child's
 * allocation in `status.allocations`) into the design of ADR 0015: each
 * existing child records its own allocation, an entry without a child
 * becomes a reservation the operator settles after its lease (it was a
 * create that crashed half-way, or one still in flight), and the parent
 * keeps only the total. Safe to run twice or from two processes at once:
 * the children are written first and only when they have recorded nothing,
 * and the parent's write carries the resourceVersion it read.
 *
 * @returns the parent as written, or as read again when another writer got there first.
 */
export async function migrateLegacyLedger<P extends Parent>(ctx: EngineContext, ref: ParentRef<P>, parent: P): Promise<P> {
  const legacy = parent.status?.allocations ?? {};
  const children = await ref.children.list(ref.childNamespace);
  const existing = new Set(children.map((c) => c.metadata.name));
  for (const child of children) {
    const entry = legacy[child.metadata.name];
    if (!entry || child.status?.allocationId) continue;
    await onConflictRetry(async () => {
      const fresh = await ref.children.get(ref.childNamespace, child.metadata.name);
      if (!fresh || fresh.status?.allocationId) return;
      const status: Status = { ...fresh.status, allocation: canonicalResources(entry), allocationId: 'migrated' };
      await ref.children.replaceStatus(fresh as never, status);
    });
  }
  const reservations: Record<string, Reservation> = { ...parent.status?.reservations };
  for (const [name, entry] of Object.entries(legacy)) {
    if (existing.has(name) || reservations[name]) continue;
    const amount = canonicalResources(entry);
    reservations[name] = {
      id: `migrated-${randomUUID()}`,
      kind: 'change',
      since: new Date(ctx.now()).toISOString(),
      leaseSeconds: 0,
      basis: {},
      target: amount,
      grow: amount,
    };
  }
  const { allocations: _, ...rest } = parent.status ?? {};
  const status: Status = { ...rest, usage: { ...rest.usage, allocated: allocatedTotal({ allocations: legacy }) } };
  if (Object.keys(reservations).length > 0) status.reservations = reservations;
  try {
    return (await ref.store.replaceStatus(parent as never, status)) as unknown as P;
  } catch (err) {
    const again = (await ref.store.get(ref.namespace, ref.name)) as P | undefined;
    if (again && !again.status?.allocations) return again;
    throw err;
  }
}

/**
 * The allocation `child` has recorded, the basis of its next change. A child that has recorded one has
 * a parent of this design; otherwise its parent may still keep a first-design ledger, which is moved
 * first, and `reread` gives the child as moved.
 */
export async function recordedBasis<P extends Parent>(
  ctx: EngineContext,
  ref: ParentRef<P>,
  child: { status?: Status | undefined },
  reread: () => Promise<{ status?: Status | undefined }>,
): Promise<Record<string, string>> {
  if (child.status?.allocationId) return recordedAllocation(child as never);
  const parent =
    (ctx.lastParents.get(parentKey(ref)) as P | undefined) ?? ((await ref.store.get(ref.namespace, ref.name)) as P | undefined);
  if (!parent?.status?.allocations) return recordedAllocation(child as never);
  await migrateLegacyLedger(ctx, ref, parent);
  return recordedAllocation((await reread()) as never);
}
