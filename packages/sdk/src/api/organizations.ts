import { checkBudgetChange } from '../budget/budget.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { EngineContext } from '../engine/context.ts';
import { type ReconcileResult, reconcileOrganization } from '../engine/reconcile.ts';
import { CLEANUP_FINALIZER, onConflictRetry } from '../engine/store.ts';
import { toSpacekitError } from '../kube/index.ts';
import { GROUP_VERSION, type Organization, OrganizationSpecSchema, organizationNamespace } from '../model/index.ts';
import {
  type CreateOrganizationInput,
  CreateOrganizationInputSchema,
  type UpdateOrganizationInput,
  } from './inputs.ts';
import { assertNamespaceFree, DEFAULT_TIMEOUT_MS, deleteNamespace, removeFinalizer, waitUntilReady } from './lifecycle.ts';
import type { DeleteOptions } from './spaces.ts';
import type { Tenants } from './tenants.ts';
import { changesObject, quantitiesAsStrings, validate } from './validate.ts';

/** Create, read, resize and delete Organizations. Obtain it as `kit.organizations`. */
export class Organizations {
  readonly #ctx: EngineContext;
  readonly #tenants: Tenants;

  constructor(ctx: EngineContext, tenants: Tenants) {
    this.#ctx = ctx;
    this.#tenants = tenants;
  }

  /**
   * Creates an Organization (cluster-scoped) with its budget and its namespace,
   * which will hold its Tenants.
   *
   * @throws {ValidationError} {@link NameError} {@link ConflictError} {@link NotInstalledError}
   */
  async create(input: CreateOrganizationInput): Promise<Organization> {
    const { name, ...parsed } = validate(CreateOrganizationInputSchema, input, 'organization');
    const namespace = organizationNamespace(name);
    const spec = { ...parsed, resources: quantitiesAsStrings(parsed.resources) };
    await this.#ctx.client.ensureInstalled();
    if (await this.#ctx.organizations.get(undefined, name)) throw new ConflictError(`organization ${name} already exists; use update to change it`);
    await assertNamespaceFree(this.#ctx.client, namespace, `organization ${name}`);
    let created: Organization;
    try {
      created = await this.#ctx.organizations.create({
        apiVersion: GROUP_VERSION,
        kind: 'Organization',
        metadata: { name, finalizers: [CLEANUP_FINALIZER] },
        spec,
      });
    } catch (err) {
      throw toSpacekitError(err, `create organization ${name}`);
    }
    return (await reconcileOrganization(this.#ctx, created)).object;
  }

  /** Reads an Organization. @throws {NotFoundError} */
  async get(name: string): Promise<Organization> {
    // Checks the name before any request: an empty name would address the whole collection.
    organizationNamespace(name);
    await this.#ctx.client.ensureInstalled();
    const org = await this.#ctx.organizations.get(undefined, name);
    if (!org) throw new NotFoundError(`organization ${name} does not exist`);
    return org;
  }

  /** Lists the Organizations the caller may see. */
  async list(): Promise<Organization[]> {
    await this.#ctx.client.ensureInstalled();
    return this.#ctx.organizations.list();
  }

  /** Changes an Organization; shrinking below what its Tenants hold is refused. */
  async update(name: string, changes: UpdateOrganizationInput): Promise<Organization> {
    const patch = changesObject(changes, 'organization update');
    try {
      const updated = await onConflictRetry(async () => {
        const current = await this.get(name);
        const merged = validate(OrganizationSpecSchema, { ...current.spec, ...patch }, 'organization');
        const spec = { ...merged, resources: quantitiesAsStrings(merged.resources) };
        checkBudgetChange(
          { parent: `organization ${name}`, childKind: 'tenant', budget: current.spec.resources, allocations: current.status?.allocations ?? {} },
          spec.resources,
        );
        return this.#ctx.organizations.replace({ ...current, spec });
      });
      return (await reconcileOrganization(this.#ctx, updated)).object;
    } catch (err) {
      throw toSpacekitError(err, `update organization ${name}`);
    }
  }

  /** Deletes an Organization with all its Tenants and Spaces; no namespace or cluster-scoped object remains. */
  async delete(name: string, options: DeleteOptions = {}): Promise<void> {
    const org = await this.get(name);
    await this.#ctx.organizations.delete(undefined, name);
    const tenants = await this.#ctx.tenants.list(organizationNamespace(name));
    await Promise.all(tenants.map((t) => this.#tenants.delete({ organization: name, name: t.metadata.name }, options)));
    await deleteNamespace(this.#ctx.client, organizationNamespace(name), options.wait ?? true, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    await removeFinalizer(this.#ctx.organizations, org);
  }

  /** Resolves once the Organization is Ready for its current generation; throws if provisioning failed. */
  async waitReady(name: string, options: { timeoutMs?: number } = {}): Promise<Organization> {
    return waitUntilReady(`organization ${name}`, () => this.get(name), options.timeoutMs);
  }

  /** Makes the cluster match the Organization's spec again; makes no write when nothing changed. */
  async reconcile(name: string): Promise<ReconcileResult<Organization>> {
    return reconcileOrganization(this.#ctx, await this.get(name));
  }
}
