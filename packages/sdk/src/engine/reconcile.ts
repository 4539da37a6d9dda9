import { type ApplyResult, applyOwned, isSubset } from '../apply/index.ts';
import { allocatedTotal } from '../budget/budget.ts';
import { toSpacekitError } from '../kube/index.ts';
import {
  type Organization,
  organizationNamespace,
  type Space,
  spaceNamespace,
  type Status,
  type Tenant,
  tenantNamespace,
} from '../model/index.ts';
import { formatResourceList, parseResourceList } from '../quantity/index.ts';
import { OBJECT_NAMES, renderOrganization, renderSpace, renderTenant } from '../render/index.ts';
import { setCondition } from './conditions.ts';
import type { EngineContext } from './context.ts';
import { onConflictRetry } from './store.ts';

/** What one reconcile did, for callers and for write-count tests. */
export interface ReconcileResult<T> {
  object: T;
  apply: ApplyResult;
  statusWritten: boolean;
}

type AnyCr = Organization | Tenant | Space;

/**
 * Writes status only when it differs from what is stored, so that a
 * reconcile of an unchanged object makes no write at all. A stale copy
 * fails the write with a conflict and is read again.
 */
async function writeStatus<T extends AnyCr>(
  ctx: EngineContext,
  object: T,
  build: (current: T) => Status,
): Promise<{ object: T; written: boolean }> {
  const store = object.kind === 'Organization' ? ctx.organizations : object.kind === 'Tenant' ? ctx.tenants : ctx.spaces;
  let written = false;
  // The caller's copy is usually fresh; only a conflict makes it worth reading again.
  let known: T | undefined = object;
  const result = await onConflictRetry(async () => {
    const current = known ?? (((await store.get(object.metadata.namespace, object.metadata.name)) ?? object) as T);
    known = undefined;
    const status = build(current);
    if (current.status && isSubset(status, current.status) && isSubset(current.status, status)) return current;
    written = true;
    return (await store.replaceStatus(current as never, status)) as T;
  });
  return { object: result, written };
}

function readyStatus(current: AnyCr, namespace: string, extra: Partial<Status>): Status {
  return {
    ...current.status,
    ...extra,
    namespace,
    phase: 'Ready',
    ...(current.metadata.generation !== undefined && { observedGeneration: current.metadata.generation }),
    conditions: setCondition(
      current.status?.conditions,
      { type: 'Ready', status: 'True', reason: 'Provisioned', message: `namespace ${namespace} is provisioned` },
      current.metadata.generation,
    ),
  };
}

async function failed<T extends AnyCr>(ctx: EngineContext, object: T, namespace: string, err: unknown, doing: string): Promise<never> {
  const typed = toSpacekitError(err, doing);
  await writeStatus(ctx, object, (current) => ({
    ...current.status,
    namespace,
    phase: 'Failed',
    conditions: setCondition(
      current.status?.conditions,
      { type: 'Ready', status: 'False', reason: 'ProvisioningFailed', message: typed.message },
      current.metadata.generation,
    ),
  })).catch(() => undefined);
  throw typed;
}

function parentUsage(current: Organization | Tenant) {
  const allocations = current.status?.allocations ?? {};
  return {
    usage: {
      ...current.status?.usage,
      hard: formatResourceList(parseResourceList(current.spec.resources)),
      allocated: allocatedTotal({ allocations }),
    },
  };
}

/** Makes an Organization's namespace match its spec and records status. Idempotent. */
export async function reconcileOrganization(ctx: EngineContext, org: Organization): Promise<ReconcileResult<Organization>> {
  const namespace = organizationNamespace(org.metadata.name);
  let apply: ApplyResult;
  try {
    apply = await applyOwned(ctx.client, { level: 'organization', organization: org.metadata.name }, namespace, renderOrganization(org));
  } catch (err) {
    return failed(ctx, org, namespace, err, `provision organization ${org.metadata.name}`);
  }
  const { object, written } = await writeStatus(ctx, org, (current) => readyStatus(current, namespace, parentUsage(current)));
  return { object, apply, statusWritten: written };
}

/** Makes a Tenant's namespace match its spec and records status. Idempotent. */
export async function reconcileTenant(ctx: EngineContext, org: Organization, tenant: Tenant): Promise<ReconcileResult<Tenant>> {
  const namespace = tenantNamespace(org.metadata.name, tenant.metadata.name);
  let apply: ApplyResult;
  try {
    apply = await applyOwned(
      ctx.client,
      { level: 'tenant', organization: org.metadata.name, tenant: tenant.metadata.name },
      namespace,
      renderTenant(org, tenant),
    );
  } catch (err) {
    return failed(ctx, tenant, namespace, err, `provision tenant ${org.metadata.name}/${tenant.metadata.name}`);
  }
  const { object, written } = await writeStatus(ctx, tenant, (current) => readyStatus(current, namespace, parentUsage(current)));
  return { object, apply, statusWritten: written };
}

/** Makes a Space's namespace and objects match its spec and records status with quota usage. Idempotent. */
export async function reconcileSpace(
  ctx: EngineContext,
  org: Organization,
  tenant: Tenant,
  space: Space,
): Promise<ReconcileResult<Space>> {
  const o = org.metadata.name;
  const t = tenant.metadata.name;
  const namespace = spaceNamespace(o, t, space.metadata.name);
  let apply: ApplyResult;
  try {
    apply = await applyOwned(
      ctx.client,
      { level: 'space', organization: o, tenant: t, space: space.metadata.name },
      namespace,
      renderSpace(org, tenant, space, ctx.settings),
    );
  } catch (err) {
    return failed(ctx, space, namespace, err, `provision space ${o}/${t}/${space.metadata.name}`);
  }
  const quota = await ctx.client.core.readNamespacedResourceQuota({ name: OBJECT_NAMES.quota, namespace });
  const usage = {
    hard: { ...(quota.spec?.hard ?? {}) },
    ...(quota.status?.used && { used: { ...quota.status.used } }),
  };
  const { object, written } = await writeStatus(ctx, space, (current) => readyStatus(current, namespace, { usage }));
  return { object, apply, statusWritten: written };
}
