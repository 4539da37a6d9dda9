import { SpacekitError } from '../errors.ts';
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
 * While another process's change of it is in flight, it keeps what it has
 * recorded (a new child waits).
 */
export async function grantFor<P extends Organization | Tenant>(
  ctx: EngineContext,
  ref: ParentRef<P>,
  parent: P,
  child: Space | Tenant,
  wanted: Record<string, string>,
  siblings: () => Promise<AllocationRequest[]>,
): Promise<AllocationDecision> {
  const name = child.metadata.name;
  const recorded = child.status?.allocation ? recordedAllocation(child) : undefined;
  const keep = (): AllocationDecision => {
    if (recorded) return { granted: recorded, refusal: undefined };
    throw new SpacekitError('CONFLICT', `a change of ${ref.childKind} "${name}" is in flight in ${ref.label}; waiting for it`);
  };
  const entry = parent.status?.reservations?.[name];
  if (entry?.kind === 'change') {
    const own = ctx.owned.get(entry.id);
    if (own) return { granted: canonicalResources(entry.target ?? {}), refusal: undefined, held: own };
    return keep();
  }
  if (recorded && sameResources(recorded, wanted)) return { granted: recorded, refusal: undefined };
  return ctx.budgetLock.run(parentKey(ref), async () => {
    const self: AllocationRequest = { name, createdAt: child.metadata.creationTimestamp ?? '', basis: recorded ?? {}, resources: wanted };
    const others = ctx.reconcilesAll ? (await siblings()).filter((s) => s.name !== name) : [];
    const decisions = await allocate(ctx, ref, [self, ...others]);
    return decisions.get(name) ?? keep();
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
