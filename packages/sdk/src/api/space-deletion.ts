import { settled } from '../engine/allocation.ts';
import type { EngineContext } from '../engine/context.ts';
import { finalizeSpace } from '../engine/finalize.ts';
import { tenantLedger } from '../engine/ledgers.ts';
import { tenantNamespace } from '../model/index.ts';
import type { SpaceRef } from './inputs.ts';
import { DEFAULT_TIMEOUT_MS, waitFor } from './lifecycle.ts';

const label = (ref: SpaceRef) => `space ${ref.organization}/${ref.tenant}/${ref.name}`;

/**
 * Runs a deleted Space's cleanup in this process until it is done: the
 * namespace goes (waited for, unless `wait` is false), then the allocation
 * and the finalizer.
 */
export async function driveSpaceDeletion(
  ctx: EngineContext,
  ref: SpaceRef,
  wait: boolean,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  /** The deleted Space's uid: a Space created since under the same name is another one, and is left alone. */
  uid?: string,
): Promise<void> {
  await waitFor(
    `${label(ref)} to be deleted`,
    async () => {
      const space = await ctx.spaces.get(tenantNamespace(ref.organization, ref.tenant), ref.name);
      if (!space || !sameObject(space, uid)) return true;
      const result = await finalizeSpace(ctx, ref, space, { waitForNamespace: wait });
      return result.outcome === 'deleted' ? true : undefined;
    },
    timeoutMs,
  );
  await settled(ctx, tenantLedger(ctx, ref.organization, ref.tenant), ref.name);
}

/** Whether `object` is the one with `uid` (any object, when no uid is known). */
export function sameObject(object: { metadata: { uid?: string } } | undefined, uid: string | undefined): boolean {
  return object !== undefined && (uid === undefined || object.metadata.uid === uid);
}
