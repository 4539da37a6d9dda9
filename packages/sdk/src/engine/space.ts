import type { ApplyOptions } from '../apply/index.ts';
import { LABELS, type Organization, type Space, type SpaceSpec, SpaceSpecSchema, spaceNamespace, type Tenant } from '../model/index.ts';
import { OBJECT_NAMES, renderSpace } from '../render/index.ts';
import { namespaceBlocker } from './checks.ts';
import type { EngineContext } from './context.ts';
import { decideGrant, decideNamespace } from './decision.ts';
import type { SpacekitEvent } from './events.ts';
import { finalizeSpace, removeOrphanSpaceNamespace } from './finalize.ts';
import { allocate, type AllocationDecision, canonicalResources, sameResources } from './allocation.ts';
import { ensureMetadata } from './metadata.ts';
import { noApply, type ReconcileResult } from './outcome.ts';
import { tenantLedger } from './ledgers.ts';
import { awaitsEnforcement, decideExpiry, decideProvisioned, decideSpace, type QuotaObject } from './space-decision.ts';
import { settle } from './status.ts';
import { absent, applyOrFail, askLedger, withRequeue } from './steps.ts';

/** Addresses a Space. */
export interface SpaceKey {
  organization: string;
  tenant: string;
  name: string;
}

/** What the caller already holds, to save reads (the SDK right after creating). */
export interface KnownSpace {
  space?: Space;
  organization?: Organization;
  tenant?: Tenant;
  apply?: ApplyOptions;
  /**
   * Waits until Kubernetes enforces a new Space's quota and returns the
   * quota then, so that the reconcile can write Ready at once. The embedded
   * SDK passes one; the operator does not, and is called again by the
   * quota's own watch event instead.
   */
  awaitQuota?: (quota: QuotaObject) => Promise<QuotaObject>;
}

/**
 * Makes one Space match its spec: the level-based heart of both hosts. It
 * reads what is (the Space, its parents, its namespace and objects), decides
 * the allocation with the tenant's ledger, applies what differs, deletes the
 * Space when it has expired, cleans up when it is being deleted, and writes
 * status only when status changed. Refusals (over budget, invalid spec,
 * policy) are outcomes written to status, not exceptions; only failures the
 * caller should retry throw. What to do at each step is decided by the pure
 * functions of space-decision.ts; this function only reads and writes.
 */
export async function reconcileSpace(ctx: EngineContext, key: SpaceKey, known: KnownSpace = {}): Promise<ReconcileResult<Space>> {
  const { organization: o, tenant: t, name: s } = key;
  const space = known.space ?? (await ctx.reader.space(o, t, s));
  if (!space) return absent(await removeOrphanSpaceNamespace(ctx, key));
  if (space.metadata.deletionTimestamp) return finalizeSpace(ctx, key, space, { waitForNamespace: true });
  const named = decideNamespace(() => spaceNamespace(o, t, s));
  if (named.kind === 'settle') return settle(ctx, space, named.status, named.outcome);
  const expiry = decideExpiry(space, ctx.now());
  if (expiry.kind === 'delete') return expire(ctx, space, expiry.event);

  const current = await ensureMetadata(ctx, space, { [LABELS.organization]: o, [LABELS.tenant]: t });
  const parents = [known.organization ?? ctx.reader.organization(o), known.tenant ?? ctx.reader.tenant(o, t)] as const;
  const [organization, tenant] = await Promise.all(parents);
  const admitted = decideSpace({ key, space: current, organization, tenant });
  if (admitted.kind === 'settle') return settle(ctx, current, admitted.status, admitted.outcome);
  const blocked = await namespaceBlocker(ctx, named.namespace, 'Space', known.apply?.fresh ?? false);
  if (blocked) return settle(ctx, current, blocked.decision, blocked.outcome);
  const allocated = await askLedger(() => allocation(ctx, admitted.tenant, current, admitted.spec));
  const grant = decideGrant({ child: 'Space', parent: 'tenant' }, allocated);
  if (grant.kind === 'settle') return settle(ctx, current, grant.status, grant.outcome);

  const granted = { ...current, spec: { ...admitted.spec, resources: grant.granted } };
  const desired = renderSpace(admitted.organization, admitted.tenant, granted, ctx.settings);
  const applied = await applyOrFail(ctx, current, { level: 'space', organization: o, tenant: t, space: s }, desired, known.apply);
  let quota = applied.objects.get(`ResourceQuota/${named.namespace}/${OBJECT_NAMES.quota}`) as QuotaObject | undefined;
  if (awaitsEnforcement(current, quota) && known.awaitQuota) quota = await known.awaitQuota(quota);
  const done = decideProvisioned({ space: current, namespace: named.namespace, quota, applied, quotaCondition: grant.quota, expiry });
  const result = await settle(ctx, current, done.status, done.outcome, applied);
  if (done.event) ctx.events.record(current, done.event);
  return withRequeue(result, done.requeueAfterMs);
}

/** Deletes an expired Space; its finalizer then cleans up. */
async function expire(ctx: EngineContext, space: Space, event: SpacekitEvent): Promise<ReconcileResult<Space>> {
  ctx.events.record(space, event);
  await ctx.spaces.delete(space.metadata.namespace, space.metadata.name);
  return { object: space, apply: noApply(), statusWritten: false, outcome: 'deleting' };
}

/**
 * The Space's allocation: the one in force when the ledger already matches
 * its spec; otherwise a decision by the tenant's ledger, made together with
 * every other pending Space of the tenant this host knows about, oldest
 * first, so that the same requests always get the same winners.
 */
async function allocation(ctx: EngineContext, tenant: Tenant, space: Space, spec: SpaceSpec): Promise<AllocationDecision> {
  const wanted = canonicalResources(spec.resources, 'spec.resources');
  const entry = tenant.status?.allocations?.[space.metadata.name];
  if (entry && sameResources(entry, wanted)) return { granted: wanted, refusal: undefined };
  const o = tenant.metadata.namespace ?? '';
  const t = tenant.metadata.name;
  return ctx.budgetLock.run(`Tenant/${o}/${t}`, async () => {
    const siblings = await ctx.reader.spaces(o, t);
    const requests = [space, ...siblings.filter((x) => x.metadata.name !== space.metadata.name)]
      .filter((x) => !x.metadata.deletionTimestamp)
      .flatMap((x) => {
        const parsed = SpaceSpecSchema.safeParse(x.spec);
        if (!parsed.success) return [];
        return [{ name: x.metadata.name, createdAt: x.metadata.creationTimestamp ?? '', resources: parsed.data.resources }];
      });
    const decisions = await allocate(tenantLedger(ctx, o, t), requests);
    return decisions.get(space.metadata.name) ?? { granted: undefined, refusal: undefined };
  });
}
