import { ConflictError, NotFoundError, QuotaExceededError } from '../errors.ts';
import type { EngineContext } from '../engine/context.ts';
import { finalizeSpace, finalizeTenant } from '../engine/finalize.ts';
import {
  canonicalResources,
  effectiveBudget,
  type Held,
  parentKey,
  queueSettle,
  reserve,
  reserveInProcess,
  sameResources,
  settled,
} from '../engine/allocation.ts';
import { recordedBasis } from '../engine/legacy-ledger.ts';
import type { ReconcileResult } from '../engine/outcome.ts';
import { organizationLedger, tenantLedger } from '../engine/ledgers.ts';
import { CLEANUP_FINALIZER, onConflictRetry } from '../cluster/index.ts';
import { reconcileTenant } from '../engine/tenant.ts';
import { toSpacekitError } from '../kube/index.ts';
import {
  GROUP_VERSION,
  LABELS,
  type Organization,
  organizationNamespace,
  type Tenant,
  type TenantSpec,
  TenantSpecSchema,
  tenantNamespace,
} from '../model/index.ts';
import { type CreateTenantInput, CreateTenantInputSchema, type TenantRef, type UpdateTenantInput } from './inputs.ts';
import {
  assertNamespaceFree,
  checkShrink,
  DEFAULT_TIMEOUT_MS,
  NO_OPERATOR_HINT,
  refusal,
  statusError,
  takeableNamespace,
  updateThroughOperator,
  waitFor,
  waitUntilReady,
} from './lifecycle.ts';
import type { Provisioning } from './mode.ts';
import type { ChangeOptions, DeleteOptions } from './spaces.ts';
import { changesObject, validate } from '../model/index.ts';
import { quantitiesAsStrings } from '../quantity/index.ts';

const label = (ref: TenantRef) => `tenant ${ref.organization}/${ref.name}`;

/** Create, read, resize and delete Tenants. Obtain it as `kit.tenants`. */
export class Tenants {
  readonly #ctx: EngineContext;
  readonly #provisioning: Provisioning;

  constructor(ctx: EngineContext, provisioning: Provisioning) {
    this.#ctx = ctx;
    this.#provisioning = provisioning;
  }

  async #org(organization: string): Promise<Organization> {
    const org = await this.#ctx.organizations.get(undefined, organization);
    if (!org)
      throw new NotFoundError(`organization "${organization}" does not exist; create it first (spacekit create org ${organization})`);
    return org;
  }

  #embedded(organization: string): Promise<boolean> {
    return this.#provisioning.embedded({ resource: 'organizations', name: organization });
  }

  /**
   * Creates a Tenant with an allocation from its organization's budget, and
   * its namespace, which will hold its Spaces. An organization admin without
   * cluster rights gets the same through the operator.
   *
   * @throws {ValidationError} {@link NameError} {@link QuotaExceededError} {@link NotFoundError}
   *   {@link ConflictError} {@link ForbiddenError}
   */
  async create(input: CreateTenantInput, options: ChangeOptions = {}): Promise<Tenant> {
    const { organization: o, name: t, labels, ...parsed } = validate(CreateTenantInputSchema, input, 'tenant');
    const ref = { organization: o, name: t };
    const namespace = takeableNamespace(this.#ctx.settings, 'tenant', t, tenantNamespace(o, t));
    const spec = { ...parsed, resources: quantitiesAsStrings(parsed.resources) };
    await this.#ctx.client.ensureInstalled();
    const object = (finalizers: string[]): Tenant => ({
      apiVersion: GROUP_VERSION,
      kind: 'Tenant',
      metadata: { name: t, namespace: organizationNamespace(o), labels: { ...labels, [LABELS.organization]: o }, finalizers },
      spec,
    });
    try {
      if (!(await this.#embedded(o))) return await this.#createThroughOperator(ref, object([]), options);
      await this.#org(o);
      if (await this.#ctx.tenants.get(organizationNamespace(o), t))
        throw new ConflictError(`${label(ref)} already exists; use update to change it`);
      await assertNamespaceFree(this.#ctx.client, namespace, label(ref));
      const ledger = organizationLedger(this.#ctx, o);
      const { held, parent } = await reserveInProcess(this.#ctx, ledger, t, {}, spec.resources);
      let created: Tenant;
      try {
        created = await this.#ctx.tenants.create(object([CLEANUP_FINALIZER]));
      } catch (err) {
        queueSettle(this.#ctx, ledger, t, held.entry.id, false);
        throw err;
      }
      try {
        const result = await reconcileTenant(this.#ctx, ref, { tenant: created, organization: parent, apply: { fresh: true } });
        if (result.outcome === 'ready' && result.object) {
          await settled(this.#ctx, ledger, t);
          return result.object;
        }
        throw (
          (result.object && statusError(label(ref), result.object)) ??
          new ConflictError(`${label(ref)} could not be provisioned (${result.outcome})`)
        );
      } catch (err) {
        await this.#ctx.tenants.delete(created.metadata.namespace, t);
        await finalizeTenant(this.#ctx, ref, created, { waitForNamespace: false });
        throw err;
      }
    } catch (err) {
      throw toSpacekitError(err, `create ${label(ref)}`);
    }
  }

  async #createThroughOperator(ref: TenantRef, object: Tenant, options: ChangeOptions): Promise<Tenant> {
    const ledger = organizationLedger(this.#ctx, ref.organization);
    const early = await refusal(ledger, ref.name, object.spec.resources);
    if (early) throw early;
    await this.#ctx.tenants.create(object);
    try {
      return await waitUntilReady(label(ref), () => this.get(ref), options.timeoutMs, NO_OPERATOR_HINT);
    } catch (err) {
      await this.#ctx.tenants.delete(object.metadata.namespace, ref.name);
      throw err instanceof QuotaExceededError ? ((await refusal(ledger, ref.name, object.spec.resources, err)) ?? err) : err;
    }
  }

  /** Reads a Tenant. @throws {NotFoundError} */
  async get(ref: TenantRef): Promise<Tenant> {
    // Checks the names before any request: an empty name would address the whole collection.
    tenantNamespace(ref.organization, ref.name);
    await this.#ctx.client.ensureInstalled();
    let tenant: Tenant | undefined;
    try {
      tenant = await this.#ctx.tenants.get(organizationNamespace(ref.organization), ref.name);
    } catch (err) {
      throw toSpacekitError(err, `read ${label(ref)}`);
    }
    if (!tenant) throw new NotFoundError(`${label(ref)} does not exist`);
    return tenant;
  }

  /** Lists an organization's Tenants. */
  async list(scope: { organization: string }): Promise<Tenant[]> {
    organizationNamespace(scope.organization);
    await this.#ctx.client.ensureInstalled();
    try {
      return await this.#ctx.tenants.list(organizationNamespace(scope.organization));
    } catch (err) {
      throw toSpacekitError(err, `list the tenants of organization ${scope.organization}`);
    }
  }

  /**
   * Changes a Tenant. Growing is checked against the organization's budget;
   * shrinking below what its Spaces hold is refused. Nothing changes on refusal.
   */
  async update(ref: TenantRef, changes: UpdateTenantInput, options: ChangeOptions = {}): Promise<Tenant> {
    const patch = changesObject(changes, 'tenant update');
    try {
      if (!(await this.#embedded(ref.organization))) return await this.#updateThroughOperator(ref, patch, options);
      const ledger = organizationLedger(this.#ctx, ref.organization);
      let held: Held | undefined;
      let org: Organization | undefined;
      let reserved = false;
      try {
        const updated = await onConflictRetry(async () => {
          const current = await this.get(ref);
          if (current.metadata.deletionTimestamp) throw new ConflictError(`${label(ref)} is being deleted, so it cannot be changed`);
          const spec = this.#merged(current, patch);
          await checkShrink(tenantLedger(this.#ctx, ref.organization, ref.name), current, spec.resources);
          if (!reserved) {
            const basis = await recordedBasis(this.#ctx, ledger, current, () => this.get(ref));
            if (!sameResources(basis, canonicalResources(spec.resources))) {
              ({ held, parent: org } = await reserve(this.#ctx, ledger, ref.name, basis, spec.resources));
              this.#ctx.owned.set(held.entry.id, held);
            }
            reserved = true;
          }
          // The resourceVersion read above guards the shrink check: a Space reserved since makes this replace fail and retry.
          return this.#ctx.tenants.replace({ ...current, spec });
        });
        const result = await reconcileTenant(this.#ctx, ref, { tenant: updated, ...(org && { organization: org }) });
        if (!result.object) throw new NotFoundError(`${label(ref)} was deleted while it was being updated`);
        await settled(this.#ctx, ledger, ref.name);
        return result.object;
      } catch (err) {
        if (held && this.#ctx.owned.has(held.entry.id)) queueSettle(this.#ctx, ledger, ref.name, held.entry.id, false);
        throw err;
      }
    } catch (err) {
      throw toSpacekitError(err, `update ${label(ref)}`);
    }
  }

  #merged(current: Tenant, patch: Record<string, unknown>): TenantSpec {
    const merged = validate(TenantSpecSchema, { ...current.spec, ...patch }, 'tenant');
    return { ...merged, resources: quantitiesAsStrings(merged.resources) };
  }

  async #updateThroughOperator(ref: TenantRef, patch: Record<string, unknown>, options: ChangeOptions): Promise<Tenant> {
    const current = await this.get(ref);
    if (current.metadata.deletionTimestamp) throw new ConflictError(`${label(ref)} is being deleted, so it cannot be changed`);
    const spec = this.#merged(current, patch);
    await checkShrink(tenantLedger(this.#ctx, ref.organization, ref.name), current, spec.resources);
    return updateThroughOperator({
      label: label(ref),
      ledger: organizationLedger(this.#ctx, ref.organization),
      child: ref.name,
      current,
      spec,
      read: () => this.get(ref),
      replace: (object) => this.#ctx.tenants.replace(object),
      timeoutMs: options.timeoutMs,
    });
  }

  /** Deletes a Tenant and, first, all of its Spaces. */
  async delete(ref: TenantRef, options: DeleteOptions = {}): Promise<void> {
    const wait = options.wait ?? true;
    try {
      const tenant = await this.get(ref);
      await this.#ctx.tenants.delete(tenant.metadata.namespace, ref.name);
      // Its copy would only be read again to find it gone.
      this.#ctx.lastParents.delete(parentKey(tenantLedger(this.#ctx, ref.organization, ref.name)));
      if (!(await this.#embedded(ref.organization))) {
        if (wait) {
          await waitFor(
            `${label(ref)} to be deleted`,
            async () => ((await this.#ctx.tenants.get(organizationNamespace(ref.organization), ref.name)) ? undefined : true),
            options.timeoutMs,
            NO_OPERATOR_HINT,
          );
        }
        return;
      }
      await driveTenantDeletion(this.#ctx, ref, wait, options.timeoutMs, tenant.metadata.uid);
    } catch (err) {
      throw toSpacekitError(err, `delete ${label(ref)}`);
    }
  }

  /** Resolves once the Tenant is Ready for its current generation; throws if provisioning failed. */
  async waitReady(ref: TenantRef, options: { timeoutMs?: number } = {}): Promise<Tenant> {
    return waitUntilReady(label(ref), () => this.get(ref), options.timeoutMs);
  }

  /** Makes the cluster match the Tenant's spec again; makes no write when nothing changed. */
  async reconcile(ref: TenantRef): Promise<ReconcileResult<Tenant>> {
    return reconcileTenant(this.#ctx, ref, { tenant: await this.get(ref) });
  }

  /** The budget the Tenant's Spaces share now: its spec, capped by what its organization granted. */
  async budget(ref: TenantRef): Promise<Record<string, string> | undefined> {
    return effectiveBudget(await this.get(ref));
  }
}

/** How many Spaces the embedded SDK cleans up at once when their tenant goes. */
const DELETION_CONCURRENCY = 16;

/**
 * One step of a deleted Tenant's cleanup in this process: its Spaces are
 * deleted and cleaned up first, then the Tenant. Returns true once it is gone.
 */
export async function tenantDeletionStep(ctx: EngineContext, ref: TenantRef, wait: boolean, uid?: string): Promise<boolean> {
  const tenant = await ctx.tenants.get(organizationNamespace(ref.organization), ref.name);
  if (!tenant || (uid !== undefined && tenant.metadata.uid !== uid)) return true;
  const namespace = tenantNamespace(ref.organization, ref.name);
  const spaces = await ctx.spaces.list(namespace);
  // Several at a time: a tenant may hold hundreds, each waiting on its namespace.
  for (let i = 0; i < spaces.length; i += DELETION_CONCURRENCY) {
    await Promise.all(
      spaces.slice(i, i + DELETION_CONCURRENCY).map(async (space) => {
        if (!space.metadata.deletionTimestamp) await ctx.spaces.delete(namespace, space.metadata.name);
        const deleting = (await ctx.spaces.get(namespace, space.metadata.name)) ?? space;
        await finalizeSpace(ctx, { organization: ref.organization, tenant: ref.name, name: space.metadata.name }, deleting, {
          waitForNamespace: wait,
        });
      }),
    );
  }
  return (await finalizeTenant(ctx, ref, tenant, { waitForNamespace: wait })).outcome === 'deleted';
}

/** Runs a deleted Tenant's cleanup in this process until it is done. */
export async function driveTenantDeletion(
  ctx: EngineContext,
  ref: TenantRef,
  wait: boolean,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  /** The deleted Tenant's uid: a Tenant created since under the same name is another one, and is left alone. */
  uid?: string,
): Promise<void> {
  const step = () => tenantDeletionStep(ctx, ref, wait, uid);
  await waitFor(`${label(ref)} to be deleted`, async () => ((await step()) ? true : undefined), timeoutMs);
  await settled(ctx, organizationLedger(ctx, ref.organization), ref.name);
}
