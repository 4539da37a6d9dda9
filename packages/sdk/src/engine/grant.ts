import { leaseLapsed } from '../budget/reservations.ts';
import type { Organization, Space, Tenant } from '../model/index.ts';
import {
  type AllocationDecision,
  type AllocationRequest,
  allocate,
  canonicalResources,
  type ParentRef,
  parentKey,
  recordedAllocation,
  sameResources,
} from './allocation.ts';
import type { EngineContext } from './context.ts';

/**
 * A child's allocation as its reconcile needs it: what it has recorded when
 * that matches its spec; the change this process reserved for it, to record
 * now; or a decision of its parent, made together with its pending siblings
 * (oldest first, so that the same requests always get the same winners).
 * While another process's change of it is in flight, it waits: its reconcile
 * writes nothing and looks again soon. A change the child recorded but whose
 * maker let its lease lapse (it crashed before putting it in force) is put in
 * force by this reconcile, which then settles it.
 */
export async function grantFor<P extends Organization | Tenant, C extends Space | Tenant>(
  ctx: EngineContext,
  ref: ParentRef<P>,
  parent: P,
  child: C,
  wanted: Record<string, string>,
  /** Reads the parent's children (from the cache on the operator), and the resources a child's spec asks for, when it parses. */
  children: { read: () => Promise<readonly C[]>; resources: (child: C) => Readonly<Record<string, string | number>> | undefined },
): Promise<AllocationDecision> {
  const name = child.metadata.name;
  const recorded = child.status?.allocation ? recordedAllocation(child) : undefined;
  // Another process's change of this child is in flight: it records it, or the operator settles it after its lease.
  const wait = (): AllocationDecision => ({ granted: undefined, refusal: undefined, inFlight: true });
  const entry = parent.status?.reservations?.[name];
  if (entry?.kind === 'change') {
    const own = ctx.owned.get(entry.id);
    if (own) return { granted: canonicalResources(entry.target ?? {}), refusal: undefined, held: own };
    if (recorded && child.status?.allocationId === entry.id && leaseLapsed(entry, ctx.now())) {
      return { granted: recorded, refusal: undefined, settles: entry.id };
    }
    return wait();
  }
  if (recorded && sameResources(recorded, wanted)) return { granted: recorded, refusal: undefined };
  return ctx.budgetLock.run(parentKey(ref), async () => {
    const self: AllocationRequest = { name, createdAt: child.metadata.creationTimestamp ?? '', basis: recorded ?? {}, resources: wanted };
    // Only the operator decides for siblings: it records each in its own reconcile. It also names the holders
    // of a refused budget from its cache; the embedded SDK asks the API server, and only when it refuses.
    const all = ctx.reconcilesAll ? await children.read() : undefined;
    const others = (all ?? []).flatMap((x) => {
      // Only those waiting for a decision; a big tenant's settled children are skipped without parsing their specs.
      if (x.metadata.name === name || x.metadata.deletionTimestamp || !awaitsAllocation(x)) return [];
      const resources = children.resources(x);
      if (!resources) return [];
      return [{ name: x.metadata.name, createdAt: x.metadata.creationTimestamp ?? '', basis: recordedAllocation(x), resources }];
    });
    const holders = all && (async () => Object.fromEntries(all.map((x) => [x.metadata.name, recordedAllocation(x)])));
    const decisions = await allocate(ctx, ref, [self, ...others], holders ? { holders } : {});
    return decisions.get(name) ?? wait();
  });
}

/** Whether a child's spec asks for other resources than it has recorded: it waits for a decision of its parent. */
export function awaitsAllocation(child: Space | Tenant): boolean {
  const parsed = parseResourceListSafe(child.spec.resources);
  return !parsed || !sameResources(recordedAllocation(child), parsed);
}

function parseResourceListSafe(resources: unknown): Record<string, string> | undefined {
  try {
    return canonicalResources(resources as Record<string, string>);
  } catch {
    return undefined;
  }
}
