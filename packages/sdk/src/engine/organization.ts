import { applyOwned, type AppliedLevel, type ApplyOptions } from '../apply/index.ts';
import { NameError, ValidationError } from '../errors.ts';
import { toSpacekitError } from '../kube/index.ts';
import { CONDITION_REASONS as R, CONDITION_TYPES as C, LABELS, MANAGER, type Organization, organizationNamespace, OrganizationSpecSchema } from '../model/index.ts';
import { renderOrganization } from '../render/index.ts';
import type { ConditionUpdate } from './conditions.ts';
import type { EngineContext } from './context.ts';
import { finalizeOrganization } from './finalize.ts';
import { canonicalResources } from './ledger.ts';
import { ensureMetadata } from './metadata.ts';
import { noApply, type ReconcileResult } from './outcome.ts';
import { overcommitCondition, parentUsage, sweepOrphanAllocations } from './parent.ts';
import { organizationLedger } from './parents.ts';
import { settle } from './status.ts';

/** What the caller already holds, to save reads. */
export interface KnownOrganization {
  organization?: Organization;
  apply?: ApplyOptions;
}

function notReady(reason: string, message: string): ConditionUpdate {
  return { type: C.ready, status: 'False', reason, message };
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
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const message = new ValidationError(`organization ${name}`, issues).message.replace(/\n\s*/g, ' ');
    return settle(ctx, current, { phase: 'Failed', conditions: [notReady(R.invalidSpec, message)] }, 'invalid');
  }

  const liveNamespace = known.apply?.fresh ? undefined : await ctx.reader.namespace(namespace);
  if (liveNamespace?.metadata.deletionTimestamp) {
    return settle(ctx, current, { phase: 'Pending', conditions: [notReady(R.parentNotReady, `namespace ${namespace} is still being deleted; the Organization is provisioned again once it is gone`)] }, 'waiting');
  }
  if (liveNamespace && liveNamespace.metadata.labels?.[LABELS.managedBy] !== MANAGER) {
    const message = `namespace ${namespace} already exists and is not managed by Spacekit; remove it or choose another Organization name`;
    return settle(ctx, current, { phase: 'Failed', conditions: [notReady(R.provisioningFailed, message)] }, 'invalid');
  }

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
