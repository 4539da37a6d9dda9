import { applyOwned, type AppliedLevel, type ApplyOptions } from '../apply/index.ts';
import { NameError, SpacekitError } from '../errors.ts';
import { toSpacekitError } from '../kube/index.ts';
import {
  CONDITION_REASONS as R,
  CONDITION_TYPES as C,
  LABELS,
  type Organization,
  type Space,
  type SpaceSpec,
  SpaceSpecSchema,
  spaceNamespace,
  type Tenant,
} from '../model/index.ts';
import { type KubeObject, OBJECT_NAMES, renderSpace } from '../render/index.ts';
import { type ConditionUpdate } from './conditions.ts';
import type { EngineContext } from './context.ts';
import { expiryOf } from './expiry.ts';
import { allocate, type AllocationDecision, canonicalResources, sameResources } from './ledger.ts';
import { tenantLedger } from './parents.ts';
import { ensureMetadata } from './metadata.ts';
import { noApply, type ReconcileResult } from './outcome.ts';
import { conditionOf, settle } from './status.ts';
import { invalid, issuesOf, namespaceBlocker, notReady } from './checks.ts';
import { finalizeSpace, removeOrphanSpaceNamespace } from './finalize.ts';

/** Addresses a Space. */
export interface SpaceKey {
  organization: string;
  tenant: string;
  name: string;
}

export type QuotaObject = KubeObject & { spec?: { hard?: Record<string, string> }; status?: { hard?: Record<string, string>; used?: Record<string, string> } };

/** Whether the quota controller has processed the quota as it now stands, so that admission enforces it. */
export function quotaEnforced(quota: QuotaObject | undefined): boolean {
  return Boolean(quota?.spec?.hard && quota.status?.hard && quota.status.used && sameResources(quota.spec.hard, quota.status.hard));
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

/** Why an organization's policy refuses a spec, as validation issues; empty when it allows it. */
export function policyIssues(org: Organization, spec: Pick<SpaceSpec, 'sandbox' | 'podSecurity'>): { path: string; message: string }[] {
  const issues = [];
  if (spec.sandbox === 'none' && !org.spec.policy.allowUnsandboxed) {
    issues.push({
      path: 'sandbox',
      message: `organization ${org.metadata.name} requires the gVisor sandbox; an organization admin can allow sandbox: none with policy.allowUnsandboxed`,
    });
  }
  if (spec.podSecurity === 'privileged' && !org.spec.policy.allowPrivileged) {
    issues.push({
      path: 'podSecurity',
      message: `organization ${org.metadata.name} does not allow privileged Spaces; use restricted or baseline, or ask an organization admin to set policy.allowPrivileged`,
    });
  }
  return issues;
}

const within: ConditionUpdate = { type: C.quotaExceeded, status: 'False', reason: R.withinBudget, message: "the allocation fits the tenant's budget" };

/**
 * Makes one Space match its spec: the level-based heart of both hosts. It
 * reads what is (the Space, its parents, its namespace and objects), decides
 * the allocation with the tenant's ledger, applies what differs, deletes the
 * Space when it has expired, cleans up when it is being deleted, and writes
 * status only when status changed. Refusals (over budget, invalid spec,
 * policy) are outcomes written to status, not exceptions; only failures the
 * caller should retry throw.
 */
export async function reconcileSpace(ctx: EngineContext, key: SpaceKey, known: KnownSpace = {}): Promise<ReconcileResult<Space>> {
  const { organization: o, tenant: t, name: s } = key;
  const space = known.space ?? (await ctx.reader.space(o, t, s));
  if (!space) return { object: undefined, apply: noApply(), statusWritten: false, outcome: await removeOrphanSpaceNamespace(ctx, key) };
  if (space.metadata.deletionTimestamp) return finalizeSpace(ctx, key, space, { waitForNamespace: true });

  let namespace: string;
  try {
    namespace = spaceNamespace(o, t, s);
  } catch (err) {
    if (!(err instanceof NameError)) throw err;
    return settle(ctx, space, { phase: 'Failed', conditions: [notReady(R.invalidSpec, err.message)] }, 'invalid');
  }

  const expiresAt = expiryOf(space);
  if (expiresAt !== undefined && ctx.now() >= expiresAt) {
    ctx.events.record(space, { type: 'Normal', reason: 'Expired', action: 'Delete', note: `the Space expired at ${new Date(expiresAt).toISOString()}; deleting it` });
    await ctx.spaces.delete(space.metadata.namespace, s);
    return { object: space, apply: noApply(), statusWritten: false, outcome: 'deleting' };
  }
  const expiry = expiresAt === undefined ? {} : { requeueAfterMs: expiresAt - ctx.now(), expiresAtIso: new Date(expiresAt).toISOString() };

  const current = await ensureMetadata(ctx, space, { [LABELS.organization]: o, [LABELS.tenant]: t });
  const [org, tenant] = await Promise.all([known.organization ?? ctx.reader.organization(o), known.tenant ?? ctx.reader.tenant(o, t)]);
  if (!org || !tenant) {
    const missing = !org ? `organization ${o}` : `tenant ${o}/${t}`;
    return settle(ctx, current, { phase: 'Failed', conditions: [notReady(R.parentNotFound, `${missing} does not exist; create it first`)] }, 'invalid');
  }
  if (org.metadata.deletionTimestamp || tenant.metadata.deletionTimestamp) {
    const going = org.metadata.deletionTimestamp ? `organization ${o}` : `tenant ${o}/${t}`;
    return settle(ctx, current, { phase: 'Pending', conditions: [notReady(R.parentNotReady, `${going} is being deleted`)] }, 'waiting');
  }

  const parsed = SpaceSpecSchema.safeParse(current.spec);
  const issues = parsed.success ? policyIssues(org, parsed.data) : issuesOf(parsed.error);
  const blocked = !parsed.success || issues.length > 0 ? invalid(`space ${o}/${t}/${s}`, parsed.success ? R.policyViolation : R.invalidSpec, issues) : await namespaceBlocker(ctx, namespace, 'Space', known.apply?.fresh ?? false);
  if (blocked || !parsed.success) return settle(ctx, current, blocked?.decision ?? { phase: 'Failed', conditions: [] }, blocked?.outcome ?? 'invalid');
  const spec = parsed.data;

  let decision: AllocationDecision;
  try {
    decision = await allocation(ctx, tenant, current, spec);
  } catch (err) {
    if (!(err instanceof SpacekitError)) throw err;
    // The tenant has no budget to give yet, or is gone; its own reconcile re-queues its Spaces when that changes.
    return settle(ctx, current, { phase: 'Pending', conditions: [notReady(R.parentNotReady, (err as Error).message)] }, 'waiting');
  }
  if (!decision.granted) {
    const message = decision.refusal?.message ?? 'the allocation does not fit';
    return settle(
      ctx,
      current,
      { phase: 'Failed', conditions: [notReady(R.quotaExceeded, message), { type: C.quotaExceeded, status: 'True', reason: R.quotaExceeded, message }] },
      'refused',
    );
  }

  const desired = renderSpace(org, tenant, { ...current, spec: { ...spec, resources: decision.granted } }, ctx.settings);
  let applied: AppliedLevel;
  try {
    applied = await applyOwned(ctx, { level: 'space', organization: o, tenant: t, space: s }, desired, known.apply);
  } catch (err) {
    const typed = toSpacekitError(err, `provision space ${o}/${t}/${s}`);
    await settle(ctx, current, { phase: 'Failed', conditions: [notReady(R.provisioningFailed, typed.message)] }, 'invalid').catch(() => undefined);
    throw typed;
  }

  let quota = applied.objects.get(`ResourceQuota/${namespace}/${OBJECT_NAMES.quota}`) as QuotaObject | undefined;
  const wasReady = conditionOf(current, C.ready)?.status === 'True';
  if (!wasReady && quota && !quotaEnforced(quota) && known.awaitQuota) quota = await known.awaitQuota(quota);
  const usage = { hard: { ...(quota?.spec?.hard ?? {}) }, ...(quota?.status?.used && { used: { ...quota.status.used } }) };
  if (!wasReady && !quotaEnforced(quota)) {
    // Until the quota controller has counted the namespace, the API server refuses every pod in it
    // ("status unknown for quota"); Ready must mean a workload can be deployed.
    return settle(
      ctx,
      current,
      {
        phase: 'Pending',
        conditions: [notReady(R.quotaPending, `waiting for Kubernetes to start enforcing the quota of namespace ${namespace}`)],
        fields: { namespace, usage },
        // Enforcement never goes back: a copy another writer found Ready since this read stays Ready.
        overtakenBy: (stored) => conditionOf(stored, C.ready)?.status === 'True',
      },
      'waiting',
      applied,
    );
  }
  const resize: ConditionUpdate = decision.refusal
    ? {
        type: C.quotaExceeded,
        status: 'True',
        reason: R.quotaExceeded,
        message: `the resize was refused and the Space keeps its current allocation: ${decision.refusal.message}`,
      }
    : within;
  const result = await settle(
    ctx,
    current,
    {
      phase: 'Ready',
      conditions: [{ type: C.ready, status: 'True', reason: R.provisioned, message: `namespace ${namespace} is provisioned` }, resize],
      fields: { namespace, usage, expiresAt: expiry.expiresAtIso },
    },
    'ready',
    applied,
  );
  const sameGeneration = current.status?.observedGeneration === current.metadata.generation;
  if (wasReady && sameGeneration && applied.writes > 0) {
    ctx.events.record(current, {
      type: 'Normal',
      reason: 'DriftRepaired',
      action: 'Repair',
      note: `put back what was changed by hand: ${[...applied.created, ...applied.updated, ...applied.pruned].join(', ')}`,
    });
  }
  return { ...result, ...(expiry.requeueAfterMs !== undefined && { requeueAfterMs: expiry.requeueAfterMs }) };
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
        return parsed.success ? [{ name: x.metadata.name, createdAt: x.metadata.creationTimestamp ?? '', resources: parsed.data.resources }] : [];
      });
    const decisions = await allocate(tenantLedger(ctx, o, t), requests);
    return decisions.get(space.metadata.name) ?? { granted: undefined, refusal: undefined };
  });
}
