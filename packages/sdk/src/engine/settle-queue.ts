import { type Settlement, withSettlements } from '../budget/reservations.ts';
import { onConflictRetry } from '../cluster/index.ts';
import type { Organization, Tenant } from '../model/index.ts';
import type { EngineContext } from './context.ts';
import { type ParentRef, parentKey } from './parent-ref.ts';

// Settling is written apart from reserving so that a burst costs one write of the parent per create:
// a settlement rides on the next reservation of the same parent, or gets a write of its own when idle.

type Parent = Organization | Tenant;

/**
 * Settles this process's reservation `id` of `child`: `tookEffect` when the
 * child recorded it. Settlements wait for the next reservation of the same
 * parent, which writes them with it, or for a write of their own as soon as
 * the parent's queue is idle; {@link settled} waits for one.
 */
export function queueSettle(ctx: EngineContext, ref: ParentRef<Parent>, child: string, id: string, tookEffect: boolean): Promise<void> {
  ctx.owned.delete(id);
  const key = parentKey(ref);
  const pending = ctx.pendingSettles.get(key) ?? new Map<string, Settlement>();
  pending.set(child, { child, id, tookEffect });
  ctx.pendingSettles.set(key, pending);
  const write: Promise<void> = ctx.budgetLock.run(key, async () => {
    const batch = ctx.pendingSettles.get(key);
    ctx.pendingSettles.delete(key);
    if (!batch || batch.size === 0) return;
    await onConflictRetry(async () => {
      const parent = (await ref.store.get(ref.namespace, ref.name)) as Parent | undefined;
      const status = parent && withSettlements(parent.status, batch.values());
      if (parent && status) ctx.lastParents.set(key, (await ref.store.replaceStatus(parent as never, status)) as unknown as Parent);
    });
  });
  const slot = `${key}|${child}`;
  const tracked: Promise<void> = write
    .catch(() => undefined)
    .finally(() => {
      if (ctx.settling.get(slot) === tracked) ctx.settling.delete(slot);
    });
  ctx.settling.set(slot, tracked);
  return tracked;
}
/**
 * Waits until the settlement of `child`'s latest reservation is written, so that a call that changed
 * the child returns with its parent tidy (a process that exits right after leaves nothing behind).
 * A failed write is left for the next writer of the parent, or the operator, to settle.
 */
export async function settled(ctx: EngineContext, ref: ParentRef<Parent>, child: string): Promise<void> {
  await ctx.settling.get(`${parentKey(ref)}|${child}`);
}
