import { applyOwned, type AppliedLevel, type ApplyOptions } from '../apply/index.ts';
import { NameError, SpacekitError } from '../errors.ts';
import { toSpacekitError } from '../kube/index.ts';
import { CONDITION_REASONS as R, CONDITION_TYPES as C, LABELS, type Organization, type Space, type Tenant, TenantSpecSchema, tenantNamespace } from '../model/index.ts';
import { renderTenant } from '../render/index.ts';
import type { ConditionUpdate } from './conditions.ts';
import type { EngineContext } from './context.ts';
import { finalizeTenant, removeOrphanTenantNamespace } from './finalize.ts';
import { allocate, type AllocationDecision, canonicalResources, sameResources } from './ledger.ts';
import { ensureMetadata } from './metadata.ts';
import { noApply, type ReconcileResult } from './outcome.ts';
import { overcommitCondition, parentUsage, sweepOrphanAllocations } from './parent.ts';
import { organizationLedger, tenantLedger } from './parents.ts';
import { settle, type StatusDecision } from './status.ts';
import { invalid, issuesOf, namespaceBlocker, notReady } from './checks.ts';

/** Addresses a Tenant. */
export interface TenantKey {
  organization: string;
  name: string;
}

/** What the caller already holds, to save reads. */
export interface KnownTenant {
  tenant?: Tenant;
  organization?: Organization;
  apply?: ApplyOptions;
}

/**
 * Makes one Tenant match its spec: its allocation from the organization's
 * ledger, its namespace (which holds its Space objects) with its members'
 * bindings, and its status with budget, allocations and its Spaces' usage.
 * Same rules as {@link reconcileSpace}: refusals go to status, retryable
 * failures throw.
 */
export async function reconcileTenant(ctx: EngineContext, key: TenantKey, known: KnownTenant = {}): Promise<ReconcileResult<Tenant>> {
  const { organization: o, name: t } = key;
  const tenant = known.tenant ?? (await ctx.reader.tenant(o, t));
  if (!tenant) return { object: undefined, apply: noApply(), statusWritten: false, outcome: await removeOrphanTenantNamespace(ctx, key) };
  if (tenant.metadata.deletionTimestamp) return finalizeTenant(ctx, key, tenant, { waitForNamespace: true });

  let namespace: string;
  try {
    namespace = tenantNamespace(o, t);
  } catch (err) {
    if (!(err instanceof NameError)) throw err;
    return settle(ctx, tenant, { phase: 'Failed', conditions: [notReady(R.invalidSpec, err.message)] }, 'invalid');
  }

  const current = await ensureMetadata(ctx, tenant, { [LABELS.organization]: o });
  const org = known.organization ?? (await ctx.reader.organization(o));
  if (!org) return settle(ctx, current, { phase: 'Failed', conditions: [notReady(R.parentNotFound, `organization ${o} does not exist; create it first`)] }, 'invalid');
  if (org.metadata.deletionTimestamp) {
    return settle(ctx, current, { phase: 'Pending', conditions: [notReady(R.parentNotReady, `organization ${o} is being deleted`)] }, 'waiting');
  }

  const parsed = TenantSpecSchema.safeParse(current.spec);
  const blocked = parsed.success ? await namespaceBlocker(ctx, namespace, 'Tenant', known.apply?.fresh ?? false) : invalid(`tenant ${o}/${t}`, R.invalidSpec, issuesOf(parsed.error));
  if (blocked || !parsed.success) return settle(ctx, current, blocked?.decision ?? { phase: 'Failed', conditions: [] }, blocked?.outcome ?? 'invalid');

  let decision: AllocationDecision;
  try {
    decision = await allocation(ctx, org, current, parsed.data.resources);
  } catch (err) {
    if (!(err instanceof SpacekitError)) throw err;
    return settle(ctx, current, { phase: 'Pending', conditions: [notReady(R.parentNotReady, err.message)] }, 'waiting');
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
  const granted = decision.granted;

  let applied: AppliedLevel;
  try {
    applied = await applyOwned(ctx, { level: 'tenant', organization: o, tenant: t }, renderTenant(org, current), known.apply);
  } catch (err) {
    const typed = toSpacekitError(err, `provision tenant ${o}/${t}`);
    await settle(ctx, current, { phase: 'Failed', conditions: [notReady(R.provisioningFailed, typed.message)] }, 'invalid').catch(() => undefined);
    throw typed;
  }

  const spaces = await ctx.reader.spaces(o, t);
  const resize: ConditionUpdate = decision.refusal
    ? { type: C.quotaExceeded, status: 'True', reason: R.quotaExceeded, message: `the resize was refused and the Tenant keeps its current allocation: ${decision.refusal.message}` }
    : { type: C.quotaExceeded, status: 'False', reason: R.withinBudget, message: "the allocation fits the organization's budget" };
  const result = await settle(ctx, current, statusFor(namespace, granted, spaces, resize), 'ready', applied);
  const dueMs = result.object
    ? await sweepOrphanAllocations(ctx, tenantLedger(ctx, o, t), result.object, new Set(spaces.map((s) => s.metadata.name)), async (name) =>
        Boolean(await ctx.spaces.get(namespace, name)),
      )
    : undefined;
  return { ...result, ...(dueMs !== undefined && { requeueAfterMs: dueMs }) };
}

function statusFor(namespace: string, granted: Record<string, string>, spaces: readonly Space[], resize: ConditionUpdate): StatusDecision {
  return {
    phase: 'Ready',
    conditions: [{ type: C.ready, status: 'True', reason: R.provisioned, message: `namespace ${namespace} is provisioned` }, resize],
    fields: { namespace },
    derive: (current) => {
      const usage = parentUsage(current as Tenant, granted, spaces);
      return { fields: { usage }, conditions: [overcommitCondition(current as Tenant, usage, 'space')] };
    },
  };
}

/** The Tenant's allocation from its organization; see the Space counterpart. */
async function allocation(ctx: EngineContext, org: Organization, tenant: Tenant, resources: Record<string, string | number>): Promise<AllocationDecision> {
  const wanted = canonicalResources(resources, 'spec.resources');
  const entry = org.status?.allocations?.[tenant.metadata.name];
  if (entry && sameResources(entry, wanted)) return { granted: wanted, refusal: undefined };
  const o = org.metadata.name;
  return ctx.budgetLock.run(`Organization/${o}`, async () => {
    const siblings = await ctx.reader.tenants(o);
    const requests = [tenant, ...siblings.filter((x) => x.metadata.name !== tenant.metadata.name)]
      .filter((x) => !x.metadata.deletionTimestamp)
      .flatMap((x) => {
        const parsed = TenantSpecSchema.safeParse(x.spec);
        return parsed.success ? [{ name: x.metadata.name, createdAt: x.metadata.creationTimestamp ?? '', resources: parsed.data.resources }] : [];
      });
    const decisions = await allocate(organizationLedger(ctx, o), requests);
    return decisions.get(tenant.metadata.name) ?? { granted: undefined, refusal: undefined };
  });
}

