import { applyOwned, type AppliedLevel, type ApplyOptions } from '../apply/index.ts';
import { NameError } from '../errors.ts';
import { toSpacekitError } from '../kube/index.ts';
import { CONDITION_REASONS as R, CONDITION_TYPES as C, type Organization, organizationNamespace, OrganizationSpecSchema } from '../model/index.ts';
import { renderOrganization } from '../render/index.ts';
import type { EngineContext } from './context.ts';
import { finalizeOrganization } from './finalize.ts';
import { canonicalResources } from './ledger.ts';
import { ensureMetadata } from './metadata.ts';
import { noApply, type ReconcileResult } from './outcome.ts';
import { overcommitCondition, parentUsage, sweepOrphanAllocations } from './parent.ts';
import { organizationLedger } from './parents.ts';
import { settle } from './status.ts';
import { invalid, issuesOf, namespaceBlocker, notReady } from './checks.ts';

/** What the caller already holds, to save reads. */
export interface KnownOrganization {
  organization?: Organization;
  apply?: ApplyOptions;
}

/**
 * Makes one Organization match its spec: its namespace (which holds its
 * Tenant objects), its members' bindings and reader role, and its status with
 * budget, allocations and its Tenants' usage. Same rules as the other levels:
 * refusals go to status, retryable failures throw.
 */
export async function reconcileOrganization(ctx: EngineContext, name: string, known: KnownOrganization = {}): Promise<ReconcileResult<Organization>> {
  const org = known.organization ?? (await ctx.reader.organization(name));
  // Everything an Organization makes is owned by it, so the garbage collector cleans up after one deleted without Spacekit.
  if (!org) return { object: undefined, apply: noApply(), statusWritten: false, outcome: 'absent' };
  if (org.metadata.deletionTimestamp) return finalizeOrganization(ctx, org, { waitForNamespace: true });

  let namespace: string;
  try {
    namespace = organizationNamespace(name);
  } catch (err) {
    if (!(err instanceof NameError)) throw err;
    return settle(ctx, org, { phase: 'Failed', conditions: [notReady(R.invalidSpec, err.message)] }, 'invalid');
  }

  const current = await ensureMetadata(ctx, org, {});
  const parsed = OrganizationSpecSchema.safeParse(current.spec);
  const blocked = parsed.success ? await namespaceBlocker(ctx, namespace, 'Organization', known.apply?.fresh ?? false) : invalid(`organization ${name}`, R.invalidSpec, issuesOf(parsed.error));
  if (blocked || !parsed.success) return settle(ctx, current, blocked?.decision ?? { phase: 'Failed', conditions: [] }, blocked?.outcome ?? 'invalid');

  let applied: AppliedLevel;
  try {
    applied = await applyOwned(ctx, { level: 'organization', organization: name }, renderOrganization(current), known.apply);
  } catch (err) {
    const typed = toSpacekitError(err, `provision organization ${name}`);
    await settle(ctx, current, { phase: 'Failed', conditions: [notReady(R.provisioningFailed, typed.message)] }, 'invalid').catch(() => undefined);
    throw typed;
  }

  const tenants = await ctx.reader.tenants(name);
  const hard = canonicalResources(parsed.data.resources, 'spec.resources');
  const result = await settle(
    ctx,
    current,
    {
      phase: 'Ready',
      conditions: [{ type: C.ready, status: 'True', reason: R.provisioned, message: `namespace ${namespace} is provisioned` }],
      fields: { namespace },
      derive: (fresh) => {
        const usage = parentUsage(fresh as Organization, hard, tenants);
        return { fields: { usage }, conditions: [overcommitCondition(fresh as Organization, usage, 'tenant')] };
      },
    },
    'ready',
    applied,
  );
  const dueMs = result.object
    ? await sweepOrphanAllocations(ctx, organizationLedger(ctx, name), result.object, new Set(tenants.map((t) => t.metadata.name)), async (tenant) =>
        Boolean(await ctx.tenants.get(namespace, tenant)),
      )
    : undefined;
  return { ...result, ...(dueMs !== undefined && { requeueAfterMs: dueMs }) };
}
