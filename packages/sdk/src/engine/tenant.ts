import type { ApplyOptions } from '../apply/index.ts';
import { LABELS, type Organization, type Tenant, TenantSpecSchema, tenantNamespace } from '../model/index.ts';
import { renderTenant, selectedNamespaceProblem } from '../render/index.ts';
import { namespaceBlocker } from './checks.ts';
import type { EngineContext } from './context.ts';
import { decideGrant, decideNamespace } from './decision.ts';
import { finalizeTenant, removeOrphanTenantNamespace } from './finalize.ts';
import { type AllocationDecision, canonicalResources, queueSettle } from './allocation.ts';
import { grantFor } from './grant.ts';
import { recordAllocation, upkeep } from './settlement.ts';
import { ensureMetadata } from './metadata.ts';
import type { ReconcileResult } from './outcome.ts';
import { organizationLedger, tenantLedger } from './ledgers.ts';
import { settle } from './status.ts';
import { absent, applyOrFail, askLedger, IN_FLIGHT_RETRY_MS, waitingFor, withRequeue } from './steps.ts';
import { decideTenant, tenantReady } from './tenant-decision.ts';

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
 * failures throw; the decisions are tenant-decision.ts's.
 */
export async function reconcileTenant(ctx: EngineContext, key: TenantKey, known: KnownTenant = {}): Promise<ReconcileResult<Tenant>> {
  const { organization: o, name: t } = key;
  const tenant = known.tenant ?? (await ctx.reader.tenant(o, t));
  if (!tenant) return absent(await removeOrphanTenantNamespace(ctx, key));
  if (tenant.metadata.deletionTimestamp) return finalizeTenant(ctx, key, tenant, { waitForNamespace: true });
  const named = decideNamespace(
    () => tenantNamespace(o, t),
    (ns) => selectedNamespaceProblem('tenant', t, ns, ctx.settings),
  );
  if (named.kind === 'settle') return settle(ctx, tenant, named.status, named.outcome);

  let current = await ensureMetadata(ctx, tenant, { [LABELS.organization]: o });
  const admitted = decideTenant({ key, tenant: current, organization: known.organization ?? (await ctx.reader.organization(o)) });
  if (admitted.kind === 'settle') return settle(ctx, current, admitted.status, admitted.outcome);
  const blocked = await namespaceBlocker(ctx, named.namespace, 'Tenant', known.apply?.fresh ?? false);
  if (blocked) return settle(ctx, current, blocked.decision, blocked.outcome);
  const allocated = await askLedger(() => allocation(ctx, admitted.organization, current, admitted.spec.resources));
  // Writing nothing while another process's change is in flight keeps a Ready child from flickering to Pending.
  if (allocated.kind === 'decided' && allocated.decision.inFlight) return withRequeue(waitingFor(current), IN_FLIGHT_RETRY_MS);
  const grant = decideGrant({ child: 'Tenant', parent: 'organization' }, allocated);
  if (grant.kind === 'settle') return settle(ctx, current, grant.status, grant.outcome);
  // A change reserved for it is recorded before anything is provisioned from it.
  const recorded = grant.held && (await recordAllocation(ctx, organizationLedger(ctx, o), current, grant.held));
  if (recorded && !recorded.recorded) return withRequeue(waitingFor(recorded.object), IN_FLIGHT_RETRY_MS);
  if (recorded) current = recorded.object;

  const desired = renderTenant(admitted.organization, current);
  const applied = await applyOrFail(ctx, current, { level: 'tenant', organization: o, tenant: t }, desired, known.apply);
  const spaces = await ctx.reader.spaces(o, t);
  const result = await settle(ctx, current, tenantReady(named.namespace, grant, spaces, current.status?.allocationId), 'ready', applied);
  // Only now does its grant say so, so only now may a shrink be given back.
  if (grant.settles) void queueSettle(ctx, organizationLedger(ctx, o), t, grant.settles, true);
  const dueMs = result.object ? await upkeep(ctx, tenantLedger(ctx, o, t), result.object, spaces) : undefined;
  return withRequeue(result, dueMs);
}

/** The Tenant's allocation from its organization; see {@link grantFor}. */
async function allocation(
  ctx: EngineContext,
  org: Organization,
  tenant: Tenant,
  resources: Record<string, string | number>,
): Promise<AllocationDecision> {
  const o = org.metadata.name;
  const children = {
    read: () => ctx.reader.tenants(o),
    resources: (x: Tenant) => {
      const parsed = TenantSpecSchema.safeParse(x.spec);
      return parsed.success ? parsed.data.resources : undefined;
    },
  };
  return grantFor(ctx, organizationLedger(ctx, o), org, tenant, canonicalResources(resources, 'spec.resources'), children);
}
