import type { ApplyOptions } from '../apply/index.ts';
import { LABELS, type Organization, type Space, type SpaceSpec, SpaceSpecSchema, spaceNamespace, type Tenant } from '../model/index.ts';
import { OBJECT_NAMES, renderSpace, selectedNamespaceProblem } from '../render/index.ts';
import { namespaceBlocker } from './checks.ts';
import type { EngineContext } from './context.ts';
import { decideGrant, decideNamespace } from './decision.ts';
import type { SpacekitEvent } from './events.ts';
import { finalizeSpace, removeOrphanSpaceNamespace } from './finalize.ts';
import { type AllocationDecision, canonicalResources, queueSettle } from './allocation.ts';
import { grantFor } from './grant.ts';
import { recordAllocation } from './settlement.ts';
import { ensureMetadata } from './metadata.ts';
import { noApply, type ReconcileResult } from './outcome.ts';
import { tenantLedger } from './ledgers.ts';
import { failpoint } from '../util/failpoint.ts';
import { awaitsEnforcement, decideExpiry, decideProvisioned, decideSpace, type QuotaObject } from './space-decision.ts';
import { settle } from './status.ts';
import { absent, applyOrFail, askLedger, IN_FLIGHT_RETRY_MS, waitingFor, withRequeue } from './steps.ts';

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
  const named = decideNamespace(
    () => spaceNamespace(o, t, s),
    (ns) => selectedNamespaceProblem('space', s, ns, ctx.settings),
  );
  if (named.kind === 'settle') return settle(ctx, space, named.status, named.outcome);
  const expiry = decideExpiry(space, ctx.now());
  if (expiry.kind === 'delete') return expire(ctx, space, expiry.event);

  let current = await ensureMetadata(ctx, space, { [LABELS.organization]: o, [LABELS.tenant]: t });
  const parents = [known.organization ?? ctx.reader.organization(o), known.tenant ?? ctx.reader.tenant(o, t)] as const;
  const [organization, tenant] = await Promise.all(parents);
  const admitted = decideSpace({ key, space: current, organization, tenant });
  if (admitted.kind === 'settle') return settle(ctx, current, admitted.status, admitted.outcome);
  const blocked = await namespaceBlocker(ctx, named.namespace, 'Space', known.apply?.fresh ?? false);
  if (blocked) return settle(ctx, current, blocked.decision, blocked.outcome);
  const allocated = await askLedger(() => allocation(ctx, admitted.tenant, current, admitted.spec));
  // Writing nothing while another process's change is in flight keeps a Ready child from flickering to Pending.
  if (allocated.kind === 'decided' && allocated.decision.inFlight) return withRequeue(waitingFor(current), IN_FLIGHT_RETRY_MS);
  const grant = decideGrant({ child: 'Space', parent: 'tenant' }, allocated);
  if (grant.kind === 'settle') return settle(ctx, current, grant.status, grant.outcome);
  // A change reserved for it is recorded before anything is provisioned from it.
  const recorded = grant.held && (await recordAllocation(ctx, tenantLedger(ctx, o, t), current, grant.held));
  if (recorded && !recorded.recorded) return withRequeue(waitingFor(recorded.object), IN_FLIGHT_RETRY_MS);
  if (recorded) current = recorded.object;
  if (recorded) await failpoint('space-change-after-record');

  const granted = { ...current, spec: { ...admitted.spec, resources: grant.granted } };
  const desired = renderSpace(admitted.organization, admitted.tenant, granted, ctx.settings);
  const applied = await applyOrFail(ctx, current, { level: 'space', organization: o, tenant: t, space: s }, desired, known.apply);
  let quota = applied.objects.get(`ResourceQuota/${named.namespace}/${OBJECT_NAMES.quota}`) as QuotaObject | undefined;
  if (awaitsEnforcement(current, quota) && known.awaitQuota) quota = await known.awaitQuota(quota);
  const done = decideProvisioned({ space: current, namespace: named.namespace, quota, applied, quotaCondition: grant.quota, expiry });
  const result = await settle(ctx, current, done.status, done.outcome, applied);
  // Only now does its quota grant the change, so only now may a shrink be given back.
  if (grant.settles) void queueSettle(ctx, tenantLedger(ctx, o, t), s, grant.settles, true);
  if (done.event) ctx.events.record(current, done.event);
  return withRequeue(result, done.requeueAfterMs);
}

/** Deletes an expired Space; its finalizer then cleans up. */
async function expire(ctx: EngineContext, space: Space, event: SpacekitEvent): Promise<ReconcileResult<Space>> {
  ctx.events.record(space, event);
  await ctx.spaces.delete(space.metadata.namespace, space.metadata.name);
  return { object: space, apply: noApply(), statusWritten: false, outcome: 'deleting' };
}

/** The Space's allocation from its tenant; see {@link grantFor}. */
async function allocation(ctx: EngineContext, tenant: Tenant, space: Space, spec: SpaceSpec): Promise<AllocationDecision> {
  const o = tenant.metadata.namespace ?? '';
  const t = tenant.metadata.name;
  const children = {
    read: () => ctx.reader.spaces(o, t),
    resources: (x: Space) => {
      const parsed = SpaceSpecSchema.safeParse(x.spec);
      return parsed.success ? parsed.data.resources : undefined;
    },
  };
  return grantFor(ctx, tenantLedger(ctx, o, t), tenant, space, canonicalResources(spec.resources, 'spec.resources'), children);
}
