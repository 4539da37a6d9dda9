import { ConflictError, NotFoundError } from '../errors.ts';
import type { EngineContext } from '../engine/context.ts';
import { finalizeOrganization } from '../engine/finalize.ts';
import { reconcileOrganization } from '../engine/organization.ts';
import type { ReconcileResult } from '../engine/outcome.ts';
import { CLEANUP_FINALIZER, onConflictRetry } from '../cluster/index.ts';
import { toSpacekitError } from '../kube/index.ts';
import { GROUP_VERSION, type Organization, organizationNamespace, OrganizationSpecSchema } from '../model/index.ts';
import { type CreateOrganizationInput, CreateOrganizationInputSchema, type UpdateOrganizationInput } from './inputs.ts';
import {
  assertNamespaceFree,
  checkShrink,
  DEFAULT_TIMEOUT_MS,
  NO_OPERATOR_HINT,
  statusError,
  takeableNamespace,
  waitFor,
  waitUntilReady,
} from './lifecycle.ts';
import { organizationLedger } from '../engine/ledgers.ts';
import { parentKey } from '../engine/parent-ref.ts';
import type { Provisioning } from './mode.ts';
import type { ChangeOptions, DeleteOptions } from './spaces.ts';
import { tenantDeletionStep } from './tenants.ts';
import { changesObject, validate } from '../model/index.ts';
import { quantitiesAsStrings } from '../quantity/index.ts';

const label = (name: string) => `organization ${name}`;

/** Create, read, resize and delete Organizations. Obtain it as `kit.organizations`. */
export class Organizations {
  readonly #ctx: EngineContext;
  readonly #provisioning: Provisioning;

  constructor(ctx: EngineContext, provisioning: Provisioning) {
    this.#ctx = ctx;
    this.#provisioning = provisioning;
  }

  #embedded(name: string): Promise<boolean> {
    return this.#provisioning.embedded({ resource: 'organizations', name });
  }

  /**
   * Creates an Organization (cluster-scoped) with its budget and its namespace,
   * which will hold its Tenants.
   *
   * @throws {ValidationError} {@link NameError} {@link ConflictError} {@link NotInstalledError} {@link ForbiddenError}
   */
  async create(input: CreateOrganizationInput, options: ChangeOptions = {}): Promise<Organization> {
    const { name, labels, ...parsed } = validate(CreateOrganizationInputSchema, input, 'organization');
    const namespace = takeableNamespace(this.#ctx.settings, 'organization', name, organizationNamespace(name));
    const spec = { ...parsed, resources: quantitiesAsStrings(parsed.resources) };
    await this.#ctx.client.ensureInstalled();
    const object = (finalizers: string[]): Organization => ({
      apiVersion: GROUP_VERSION,
      kind: 'Organization',
      metadata: { name, ...(labels && { labels }), finalizers },
      spec,
    });
    try {
      if (!(await this.#embedded(name))) {
        await this.#ctx.organizations.create(object([]));
        try {
          return await waitUntilReady(label(name), () => this.get(name), options.timeoutMs, NO_OPERATOR_HINT);
        } catch (err) {
          await this.#ctx.organizations.delete(undefined, name);
          // Its copy would only be read again to find it gone.
          this.#ctx.lastParents.delete(parentKey(organizationLedger(this.#ctx, name)));
          throw err;
        }
      }
      if (await this.#ctx.organizations.get(undefined, name))
        throw new ConflictError(`${label(name)} already exists; use update to change it`);
      await assertNamespaceFree(this.#ctx.client, namespace, label(name));
      const created = await this.#ctx.organizations.create(object([CLEANUP_FINALIZER]));
      try {
        const result = await reconcileOrganization(this.#ctx, name, { organization: created, apply: { fresh: true } });
        if (result.outcome === 'ready' && result.object) return result.object;
        throw (
          (result.object && statusError(label(name), result.object)) ??
          new ConflictError(`${label(name)} could not be provisioned (${result.outcome})`)
        );
      } catch (err) {
        await this.#ctx.organizations.delete(undefined, name);
        // Its copy would only be read again to find it gone.
        this.#ctx.lastParents.delete(parentKey(organizationLedger(this.#ctx, name)));
        await finalizeOrganization(this.#ctx, created, { waitForNamespace: false });
        throw err;
      }
    } catch (err) {
      throw toSpacekitError(err, `create ${label(name)}`);
    }
  }

  /** Reads an Organization. @throws {NotFoundError} */
  async get(name: string): Promise<Organization> {
    // Checks the name before any request: an empty name would address the whole collection.
    organizationNamespace(name);
    await this.#ctx.client.ensureInstalled();
    let org: Organization | undefined;
    try {
      org = await this.#ctx.organizations.get(undefined, name);
    } catch (err) {
      throw toSpacekitError(err, `read ${label(name)}`);
    }
    if (!org) throw new NotFoundError(`${label(name)} does not exist`);
    return org;
  }

  /** Lists the Organizations the caller may see. */
  async list(): Promise<Organization[]> {
    await this.#ctx.client.ensureInstalled();
    try {
      return await this.#ctx.organizations.list();
    } catch (err) {
      throw toSpacekitError(err, 'list organizations');
    }
  }

  /** Changes an Organization; shrinking below what its Tenants hold is refused. */
  async update(name: string, changes: UpdateOrganizationInput, options: ChangeOptions = {}): Promise<Organization> {
    const patch = changesObject(changes, 'organization update');
    try {
      const updated = await onConflictRetry(async () => {
        const current = await this.get(name);
        const merged = validate(OrganizationSpecSchema, { ...current.spec, ...patch }, 'organization');
        const spec = { ...merged, resources: quantitiesAsStrings(merged.resources) };
        await checkShrink(organizationLedger(this.#ctx, name), current, spec.resources);
        return this.#ctx.organizations.replace({ ...current, spec });
      });
      if (!(await this.#embedded(name))) {
        return await waitUntilReady(
          label(name),
          async () => {
            const org = await this.get(name);
            return (org.status?.observedGeneration ?? 0) >= (updated.metadata.generation ?? 0)
              ? org
              : { ...org, status: { ...org.status, phase: 'Pending' as const } };
          },
          options.timeoutMs,
          NO_OPERATOR_HINT,
        );
      }
      const result = await reconcileOrganization(this.#ctx, name, { organization: updated });
      if (!result.object) throw new NotFoundError(`${label(name)} was deleted while it was being updated`);
      return result.object;
    } catch (err) {
      throw toSpacekitError(err, `update ${label(name)}`);
    }
  }

  /** Deletes an Organization with all its Tenants and Spaces; no namespace or cluster-scoped object remains. */
  async delete(name: string, options: DeleteOptions = {}): Promise<void> {
    const wait = options.wait ?? true;
    try {
      await this.get(name);
      await this.#ctx.organizations.delete(undefined, name);
      // Its copy would only be read again to find it gone.
      this.#ctx.lastParents.delete(parentKey(organizationLedger(this.#ctx, name)));
      if (!(await this.#embedded(name))) {
        if (wait) {
          await waitFor(
            `${label(name)} to be deleted`,
            async () => ((await this.#ctx.organizations.get(undefined, name)) ? undefined : true),
            options.timeoutMs,
            NO_OPERATOR_HINT,
          );
        }
        return;
      }
      await waitFor(
        `${label(name)} to be deleted`,
        async () => {
          const org = await this.#ctx.organizations.get(undefined, name);
          if (!org) return true;
          await Promise.all(
            (await this.#ctx.tenants.list(organizationNamespace(name))).map(async (tenant) => {
              if (!tenant.metadata.deletionTimestamp) await this.#ctx.tenants.delete(tenant.metadata.namespace, tenant.metadata.name);
              await tenantDeletionStep(this.#ctx, { organization: name, name: tenant.metadata.name }, wait);
            }),
          );
          return (await finalizeOrganization(this.#ctx, org, { waitForNamespace: wait })).outcome === 'deleted' ? true : undefined;
        },
        options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      );
    } catch (err) {
      throw toSpacekitError(err, `delete ${label(name)}`);
    }
  }

  /** Resolves once the Organization is Ready for its current generation; throws if provisioning failed. */
  async waitReady(name: string, options: { timeoutMs?: number } = {}): Promise<Organization> {
    return waitUntilReady(label(name), () => this.get(name), options.timeoutMs);
  }

  /** Makes the cluster match the Organization's spec again; makes no write when nothing changed. */
  async reconcile(name: string): Promise<ReconcileResult<Organization>> {
    return reconcileOrganization(this.#ctx, name, { organization: await this.get(name) });
  }
}
