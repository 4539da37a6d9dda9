import { NameError } from '../errors.ts';
import { statusCode } from '../kube/index.ts';
import { archiveUsage } from '../meter/index.ts';
import {
  LABELS,
  MANAGER,
  type Organization,
  organizationNamespace,
  type Space,
  spaceNamespace,
  type Tenant,
  tenantNamespace,
} from '../model/index.ts';
import type { KubeObject, Owner } from '../render/index.ts';
import type { EngineContext } from './context.ts';
import { forgetReleased, releaseChild } from './settlement.ts';
import { organizationLedger, tenantLedger } from './ledgers.ts';
import { noApply, type Outcome, type ReconcileResult } from './outcome.ts';
import { type AnyCr, storeOf } from './status.ts';
import { CLEANUP_FINALIZER, onConflictRetry } from '../cluster/index.ts';

/** How a finalizer treats the namespace it deletes. */
export interface FinalizeOptions {
  /**
   * Keep the object (and its allocation) until its namespace is gone. The
   * operator always waits, driven by the namespace's deletion event; the
   * embedded SDK may return at once and let the namespace go in the background.
   */
  waitForNamespace: boolean;
}

/** Removes Spacekit's cleanup finalizer, letting the API server finish deleting the object. */
export async function removeFinalizer(ctx: EngineContext, object: AnyCr): Promise<void> {
  const store = storeOf(ctx, object);
  await onConflictRetry(async () => {
    const current = await store.get(object.metadata.namespace, object.metadata.name);
    if (!current || !(current.metadata.finalizers ?? []).includes(CLEANUP_FINALIZER)) return;
    const finalizers = (current.metadata.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER);
    try {
      await store.replace({ ...current, metadata: { ...current.metadata, finalizers } } as never);
    } catch (err) {
      if (statusCode(err) !== 404) throw err;
    }
  });
}

/** True when `namespace` is the one Spacekit made for exactly this level, so deleting it cannot hit someone else's. */
function isLevelNamespace(namespace: KubeObject, owner: Owner): boolean {
  const labels = namespace.metadata.labels ?? {};
  return (
    labels[LABELS.managedBy] === MANAGER &&
    labels[LABELS.level] === owner.level &&
    labels[LABELS.organization] === owner.organization &&
    (owner.tenant === undefined || labels[LABELS.tenant] === owner.tenant) &&
    (owner.space === undefined || labels[LABELS.space] === owner.space)
  );
}

/**
 * Starts deleting a level's namespace if it is still there. Returns true
 * while the namespace exists (it may take a while: the namespace controller
 * first removes everything inside it).
 */
async function deleteLevelNamespace(
  ctx: EngineContext,
  name: string,
  owner: Owner,
  object: AnyCr,
  archiveTo?: ArchiveTo,
): Promise<boolean> {
  const live = await ctx.reader.namespace(name);
  if (!live || !isLevelNamespace(live, owner)) return false;
  if (!live.metadata.deletionTimestamp) {
    if (archiveTo) await keepUsage(ctx, object, name, archiveTo);
    await ctx.client.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    ctx.events.record(object, {
      type: 'Normal',
      reason: 'Deleting',
      action: 'Delete',
      note: `deleting namespace ${name} and everything in it`,
    });
  }
  return true;
}

/** Where a level's metered usage goes when its namespace is deleted: the parent's namespace, names prefixed with the level's. */
interface ArchiveTo {
  namespace: string;
  prefix: string;
}

/**
 * Moves the metered usage out of a namespace about to be deleted (ADR 0017).
 * A caller who may not read or write usage (a robot with rights to namespaces
 * only) deletes anyway: what the meter wrote there then goes with the namespace.
 */
async function keepUsage(ctx: EngineContext, object: AnyCr, from: string, to: ArchiveTo): Promise<void> {
  try {
    await archiveUsage(ctx.client, from, to.namespace, to.prefix);
  } catch (err) {
    if (statusCode(err) !== 403) throw err;
    ctx.events.record(object, {
      type: 'Warning',
      reason: 'UsageNotKept',
      action: 'Delete',
      note: `may not move the metered usage in namespace ${from} to ${to.namespace}; it goes with the namespace`,
    });
  }
}

function done(object: AnyCr, outcome: Outcome): ReconcileResult<never> {
  return { object: object as never, apply: noApply(), statusWritten: false, outcome };
}

function namespaceOrUndefined(make: () => string): string | undefined {
  try {
    return make();
  } catch (err) {
    if (err instanceof NameError) return undefined;
    throw err;
  }
}

/**
 * Cleans up after a deleted Space: deletes its namespace (and so its
 * workloads, quota and policies), then releases its allocation and removes
 * the finalizer. Its reader role in the tenant's namespace goes with the
 * Space object, which owns it.
 */
export async function finalizeSpace(
  ctx: EngineContext,
  key: { organization: string; tenant: string; name: string },
  space: Space,
  options: FinalizeOptions,
): Promise<ReconcileResult<Space>> {
  if (!(space.metadata.finalizers ?? []).includes(CLEANUP_FINALIZER)) return done(space, 'deleting');
  const { organization: o, tenant: t, name: s } = key;
  const namespace = namespaceOrUndefined(() => spaceNamespace(o, t, s));
  if (namespace) {
    const remaining = await deleteLevelNamespace(ctx, namespace, { level: 'space', organization: o, tenant: t, space: s }, space, {
      namespace: tenantNamespace(o, t),
      prefix: `${s}.`,
    });
    if (remaining && options.waitForNamespace) return done(space, 'deleting');
  }
  // A tenant being deleted takes its budget with it: giving back into it would only queue writes on a dying object.
  const tenant = await ctx.reader.tenant(o, t);
  const ref = tenantLedger(ctx, o, t);
  const released = tenant && !tenant.metadata.deletionTimestamp ? await releaseChild(ctx, ref, s) : undefined;
  await removeFinalizer(ctx, space);
  forgetReleased(ctx, ref, s, released);
  return done(space, 'deleted');
}

/**
 * Cleans up after a deleted Tenant: deletes its Spaces first (each cleans up
 * after itself), then its namespace, then releases its allocation from the
 * organization and removes the finalizer.
 */
export async function finalizeTenant(
  ctx: EngineContext,
  key: { organization: string; name: string },
  tenant: Tenant,
  options: FinalizeOptions,
): Promise<ReconcileResult<Tenant>> {
  if (!(tenant.metadata.finalizers ?? []).includes(CLEANUP_FINALIZER)) return done(tenant, 'deleting');
  const { organization: o, name: t } = key;
  const namespace = namespaceOrUndefined(() => tenantNamespace(o, t));
  if (namespace) {
    const spaces = await ctx.reader.spaces(o, t);
    await Promise.all(spaces.filter((s) => !s.metadata.deletionTimestamp).map((s) => ctx.spaces.delete(namespace, s.metadata.name)));
    if (spaces.length > 0) return done(tenant, 'deleting');
    const remaining = await deleteLevelNamespace(ctx, namespace, { level: 'tenant', organization: o, tenant: t }, tenant, {
      namespace: organizationNamespace(o),
      prefix: `${t}.`,
    });
    if (remaining && options.waitForNamespace) return done(tenant, 'deleting');
  }
  const org = await ctx.reader.organization(o);
  const ref = organizationLedger(ctx, o);
  const released = org && !org.metadata.deletionTimestamp ? await releaseChild(ctx, ref, t) : undefined;
  await removeFinalizer(ctx, tenant);
  forgetReleased(ctx, ref, t, released);
  return done(tenant, 'deleted');
}

/**
 * Cleans up after a deleted Organization: deletes its Tenants first, then its
 * namespace, then removes the finalizer. Its reader cluster role, and any
 * namespace left behind, are owned by the Organization, so the garbage
 * collector removes them even if Spacekit is not running.
 */
export async function finalizeOrganization(
  ctx: EngineContext,
  org: Organization,
  options: FinalizeOptions,
): Promise<ReconcileResult<Organization>> {
  if (!(org.metadata.finalizers ?? []).includes(CLEANUP_FINALIZER)) return done(org, 'deleting');
  const o = org.metadata.name;
  const namespace = namespaceOrUndefined(() => organizationNamespace(o));
  if (namespace) {
    const tenants = await ctx.reader.tenants(o);
    await Promise.all(tenants.filter((t) => !t.metadata.deletionTimestamp).map((t) => ctx.tenants.delete(namespace, t.metadata.name)));
    if (tenants.length > 0) return done(org, 'deleting');
    const remaining = await deleteLevelNamespace(ctx, namespace, { level: 'organization', organization: o }, org);
    if (remaining && options.waitForNamespace) return done(org, 'deleting');
  }
  await removeFinalizer(ctx, org);
  return done(org, 'deleted');
}

/**
 * A Space's namespace whose Space object is gone without its cleanup (its
 * finalizer removed by hand, say) is deleted. The cache may lag behind a
 * Space created a moment ago, so only the API server's word that the Space
 * does not exist counts.
 */
export async function removeOrphanSpaceNamespace(
  ctx: EngineContext,
  key: { organization: string; tenant: string; name: string },
): Promise<Outcome> {
  const { organization: o, tenant: t, name: s } = key;
  const namespace = namespaceOrUndefined(() => spaceNamespace(o, t, s));
  if (!namespace) return 'absent';
  const live = await ctx.reader.namespace(namespace);
  if (!live || live.metadata.deletionTimestamp || !isLevelNamespace(live, { level: 'space', organization: o, tenant: t, space: s }))
    return 'absent';
  if (await ctx.spaces.get(tenantNamespace(o, t), s)) return 'absent';
  await ctx.client.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  return 'absent';
}

/** The Tenant counterpart of {@link removeOrphanSpaceNamespace}. */
export async function removeOrphanTenantNamespace(ctx: EngineContext, key: { organization: string; name: string }): Promise<Outcome> {
  const { organization: o, name: t } = key;
  const namespace = namespaceOrUndefined(() => tenantNamespace(o, t));
  if (!namespace) return 'absent';
  const live = await ctx.reader.namespace(namespace);
  if (!live || live.metadata.deletionTimestamp || !isLevelNamespace(live, { level: 'tenant', organization: o, tenant: t })) return 'absent';
  if (await ctx.tenants.get(organizationNamespace(o), t)) return 'absent';
  // Its Space objects go with the namespace; their finalizers are then run by their own reconciles.
  await ctx.client.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  return 'absent';
}
