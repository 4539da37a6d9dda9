import { checkBudgetChange } from '../budget/budget.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { EngineContext } from '../engine/context.ts';
import { type ParentRef, release, reserve } from '../engine/ledger.ts';
import { type ReconcileResult, reconcileTenant } from '../engine/reconcile.ts';
import { CLEANUP_FINALIZER, onConflictRetry } from '../engine/store.ts';
import { toSpacekitError } from '../kube/index.ts';
import {
  GROUP_VERSION,
  LABELS,
  type Organization,
  organizationNamespace,
  type Tenant,
  TenantSpecSchema,
  tenantNamespace,
} from '../model/index.ts';
import { type CreateTenantInput, CreateTenantInputSchema, type TenantRef, type UpdateTenantInput } from './inputs.ts';
import { assertNamespaceFree, DEFAULT_TIMEOUT_MS, deleteNamespace, removeFinalizer, waitUntilReady } from './lifecycle.ts';
import type { DeleteOptions, Spaces } from './spaces.ts';
import { changesObject, quantitiesAsStrings, validate } from './validate.ts';

/** Create, read, resize and delete Tenants. Obtain it as `kit.tenants`. */
export class Tenants {
  readonly #ctx: EngineContext;
  readonly #spaces: Spaces;

  constructor(ctx: EngineContext, spaces: Spaces) {
    this.#ctx = ctx;
    this.#spaces = spaces;
  }

  #orgLedger(organization: string): ParentRef<Organization> {
    return { store: this.#ctx.organizations, namespace: undefined, name: organization, label: `organization ${organization}`, childKind: 'tenant' };
  }

  async #org(organization: string): Promise<Organization> {
    const org = await this.#ctx.organizations.get(undefined, organization);
    if (!org) throw new NotFoundError(`organization "${organization}" does not exist; create it first (spacekit create org ${organization})`);
    return org;
  }

  /**
   * Creates a Tenant with an allocation from its organization's budget, and
   * its namespace, which will hold its Spaces.
   *
   * @throws {ValidationError} {@link NameError} {@link QuotaExceededError} {@link NotFoundError} {@link ConflictError}
   */
  async create(input: CreateTenantInput): Promise<Tenant> {
    const { organization: o, name: t, ...parsed } = validate(CreateTenantInputSchema, input, 'tenant');
    const namespace = tenantNamespace(o, t);
    const spec = { ...parsed, resources: quantitiesAsStrings(parsed.resources) };
    await this.#ctx.client.ensureInstalled();
    const org = await this.#org(o);
    if (await this.#ctx.tenants.get(organizationNamespace(o), t)) throw new ConflictError(`tenant ${o}/${t} already exists; use update to change it`);
    await assertNamespaceFree(this.#ctx.client, namespace, `tenant ${o}/${t}`);
    const ledger = this.#orgLedger(o);
    const previous = await reserve(ledger, t, spec.resources);
    let created: Tenant;
    try {
      created = await this.#ctx.tenants.create({
        apiVersion: GROUP_VERSION,
        kind: 'Tenant',
        metadata: { name: t, namespace: organizationNamespace(o), labels: { [LABELS.organization]: o }, finalizers: [CLEANUP_FINALIZER] },
        spec,
      });
    } catch (err) {
      await release(ledger, t, previous);
      throw toSpacekitError(err, `create tenant ${o}/${t}`);
    }
    return (await reconcileTenant(this.#ctx, org, created)).object;
  }

  /** Reads a Tenant. @throws {NotFoundError} */
  async get(ref: TenantRef): Promise<Tenant> {
    // Checks the names before any request: an empty name would address the whole collection.
    tenantNamespace(ref.organization, ref.name);
    await this.#ctx.client.ensureInstalled();
    const tenant = await this.#ctx.tenants.get(organizationNamespace(ref.organization), ref.name);
    if (!tenant) throw new NotFoundError(`tenant ${ref.organization}/${ref.name} does not exist`);
    return tenant;
  }

  /** Lists an organization's Tenants. */
  async list(scope: { organization: string }): Promise<Tenant[]> {
    organizationNamespace(scope.organization);
    await this.#ctx.client.ensureInstalled();
    return this.#ctx.tenants.list(organizationNamespace(scope.organization));
  }

  /**
   * Changes a Tenant. Growing is checked against the organization's budget;
   * shrinking below what its Spaces hold is refused. Nothing changes on refusal.
   */
  async update(ref: TenantRef, changes: UpdateTenantInput): Promise<Tenant> {
    const patch = changesObject(changes, 'tenant update');
    const org = await this.#org(ref.organization);
    const ledger = this.#orgLedger(ref.organization);
    let previous: Record<string, string | number> | undefined;
    let reserved = false;
    try {
      const updated = await onConflictRetry(async () => {
        const current = await this.get(ref);
        const merged = validate(TenantSpecSchema, { ...current.spec, ...patch }, 'tenant');
        const spec = { ...merged, resources: quantitiesAsStrings(merged.resources) };
        checkBudgetChange(
          { parent: `tenant ${ref.organization}/${ref.name}`, childKind: 'space', budget: current.spec.resources, allocations: current.status?.allocations ?? {} },
          spec.resources,
        );
        if (!reserved) {
          previous = await reserve(ledger, ref.name, spec.resources);
          reserved = true;
        }
        // The resourceVersion read above guards the shrink check: a Space reserved since makes this replace fail and retry.
        return this.#ctx.tenants.replace({ ...current, spec });
      });
      return (await reconcileTenant(this.#ctx, org, updated)).object;
    } catch (err) {
      if (reserved) await release(ledger, ref.name, previous);
      throw toSpacekitError(err, `update tenant ${ref.organization}/${ref.name}`);
    }
  }

  /** Deletes a Tenant and, first, all of its Spaces. */
  async delete(ref: TenantRef, options: DeleteOptions = {}): Promise<void> {
    const tenant = await this.get(ref);
    await this.#ctx.tenants.delete(tenant.metadata.namespace, ref.name);
    const spaces = await this.#ctx.spaces.list(tenantNamespace(ref.organization, ref.name));
    await Promise.all(spaces.map((s) => this.#spaces.delete({ organization: ref.organization, tenant: ref.name, name: s.metadata.name }, options)));
    await deleteNamespace(this.#ctx.client, tenantNamespace(ref.organization, ref.name), options.wait ?? true, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    await release(this.#orgLedger(ref.organization), ref.name);
    await removeFinalizer(this.#ctx.tenants, tenant);
  }

  /** Resolves once the Tenant is Ready for its current generation; throws if provisioning failed. */
  async waitReady(ref: TenantRef, options: { timeoutMs?: number } = {}): Promise<Tenant> {
    return waitUntilReady(`tenant ${ref.organization}/${ref.name}`, () => this.get(ref), options.timeoutMs);
  }

  /** Makes the cluster match the Tenant's spec again; makes no write when nothing changed. */
  async reconcile(ref: TenantRef): Promise<ReconcileResult<Tenant>> {
    return reconcileTenant(this.#ctx, await this.#org(ref.organization), await this.get(ref));
  }
}
