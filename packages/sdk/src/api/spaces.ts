import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { release, reserve, type ParentRef } from '../engine/ledger.ts';
import { type ReconcileResult, reconcileSpace } from '../engine/reconcile.ts';
import type { EngineContext } from '../engine/context.ts';
import { CLEANUP_FINALIZER } from '../engine/store.ts';
import { toSpacekitError } from '../kube/index.ts';
import {
  GROUP_VERSION,
  LABELS,
  type Organization,
  organizationNamespace,
  type Space,
  type SpaceSpec,
  SpaceSpecSchema,
  spaceNamespace,
  type Tenant,
  tenantNamespace,
} from '../model/index.ts';
import { type CreateSpaceInput, CreateSpaceInputSchema, type SpaceRef, type UpdateSpaceInput } from './inputs.ts';
import { assertNamespaceFree, DEFAULT_TIMEOUT_MS, deleteNamespace, removeFinalizer, waitUntilReady } from './lifecycle.ts';
import { changesObject, quantitiesAsStrings, validate } from './validate.ts';

/** Options for deletes. */
export interface DeleteOptions {
  /** Wait until the namespace is gone (default true). With false, return once deletion has started. */
  wait?: boolean;
  timeoutMs?: number;
}

function storedSpec(spec: SpaceSpec): SpaceSpec {
  return {
    ...spec,
    resources: quantitiesAsStrings(spec.resources),
    containerDefaults: { request: quantitiesAsStrings(spec.containerDefaults.request), limit: quantitiesAsStrings(spec.containerDefaults.limit) },
  };
}

function checkPolicy(org: Organization, spec: SpaceSpec): void {
  const issues = [];
  if (spec.sandbox === 'none' && !org.spec.policy.allowUnsandboxed) {
    issues.push({
      path: 'sandbox',
      message: `organization ${org.metadata.name} requires the gVisor sandbox; an organization admin can allow sandbox: none with policy.allowUnsandboxed`,
    });
  }
  if (spec.podSecurity === 'privileged' && !org.spec.policy.allowPrivileged) {
    issues.push({
      path: 'podSecurity',
      message: `organization ${org.metadata.name} does not allow privileged Spaces; use restricted or baseline, or ask an organization admin to set policy.allowPrivileged`,
    });
  }
  if (issues.length > 0) throw new ValidationError('space', issues);
}

/** Create, read, resize and delete Spaces. Obtain it as `kit.spaces`. */
export class Spaces {
  readonly #ctx: EngineContext;

  constructor(ctx: EngineContext) {
    this.#ctx = ctx;
  }

  #tenantLedger(organization: string, tenant: string): ParentRef<Tenant> {
    return { store: this.#ctx.tenants, namespace: organization, name: tenant, label: `tenant ${organization}/${tenant}`, childKind: 'space' };
  }

  async #parents(organization: string, tenant: string): Promise<{ org: Organization; tenant: Tenant }> {
    const [org, t] = await Promise.all([this.#ctx.organizations.get(undefined, organization), this.#ctx.tenants.get(organization, tenant)]);
    if (!org) throw new NotFoundError(`organization "${organization}" does not exist; create it first (spacekit create org ${organization})`);
    if (!t) throw new NotFoundError(`tenant "${organization}/${tenant}" does not exist; create it first (spacekit create tenant ${organization}/${tenant})`);
    return { org, tenant: t };
  }

  /**
   * Creates a Space and provisions it: reserves its allocation in the
   * tenant's budget, creates the Space object and its namespace with quota,
   * limits, network policies, member bindings, Pod Security and sandbox.
   * Resolves with the Space once it is Ready.
   *
   * @throws {ValidationError} for input the schema refuses (nothing is sent).
   * @throws {NameError} when the namespace name would be invalid or too long.
   * @throws {QuotaExceededError} when the allocation does not fit in the tenant's budget.
   * @throws {NotFoundError} when the organization or tenant does not exist.
   * @throws {ConflictError} when the Space or its namespace already exists.
   */
  async create(input: CreateSpaceInput): Promise<Space> {
    const { organization: o, tenant: t, name: s, ...parsed } = validate(CreateSpaceInputSchema, input, 'space');
    const namespace = spaceNamespace(o, t, s);
    const spec = storedSpec(parsed);
    await this.#ctx.client.ensureInstalled();
    const { org, tenant } = await this.#parents(o, t);
    checkPolicy(org, spec);
    if (await this.#ctx.spaces.get(tenantNamespace(o, t), s)) {
      throw new ConflictError(`space ${o}/${t}/${s} already exists; use update to change it`);
    }
    await assertNamespaceFree(this.#ctx.client, namespace, `space ${o}/${t}/${s}`);

    const ledger = this.#tenantLedger(o, t);
    const previous = await reserve(ledger, s, spec.resources);
    let created: Space;
    try {
      created = await this.#ctx.spaces.create({
        apiVersion: GROUP_VERSION,
        kind: 'Space',
        metadata: {
          name: s,
          namespace: tenantNamespace(o, t),
          labels: { [LABELS.organization]: o, [LABELS.tenant]: t },
          finalizers: [CLEANUP_FINALIZER],
        },
        spec,
      });
    } catch (err) {
      await release(ledger, s, previous);
      throw toSpacekitError(err, `create space ${o}/${t}/${s}`);
    }
    return (await reconcileSpace(this.#ctx, org, tenant, created)).object;
  }

  /** Reads a Space. @throws {NotFoundError} */
  async get(ref: SpaceRef): Promise<Space> {
    // Checks every part of the name before any request: an empty name would address the whole collection.
    spaceNamespace(ref.organization, ref.tenant, ref.name);
    await this.#ctx.client.ensureInstalled();
    const space = await this.#ctx.spaces.get(tenantNamespace(ref.organization, ref.tenant), ref.name);
    if (!space) throw new NotFoundError(`space ${ref.organization}/${ref.tenant}/${ref.name} does not exist`);
    return space;
  }

  /** Lists the Spaces of one tenant, or of a whole organization when `tenant` is left out. */
  async list(scope: { organization: string; tenant?: string }): Promise<Space[]> {
    if (scope.tenant !== undefined) tenantNamespace(scope.organization, scope.tenant);
    else organizationNamespace(scope.organization);
    await this.#ctx.client.ensureInstalled();
    if (scope.tenant) return this.#ctx.spaces.list(tenantNamespace(scope.organization, scope.tenant));
    return this.#ctx.spaces.list(undefined, `${LABELS.organization}=${scope.organization}`);
  }

  /**
   * Changes a Space: resize it, change members, network or sandbox. Growth is
   * checked against the tenant's budget first; nothing changes if it does not fit.
   */
  async update(ref: SpaceRef, changes: UpdateSpaceInput): Promise<Space> {
    const patch = changesObject(changes, 'space update');
    const current = await this.get(ref);
    const spec = storedSpec(validate(SpaceSpecSchema, { ...current.spec, ...patch }, 'space'));
    const { org, tenant } = await this.#parents(ref.organization, ref.tenant);
    checkPolicy(org, spec);
    const ledger = this.#tenantLedger(ref.organization, ref.tenant);
    const previous = await reserve(ledger, ref.name, spec.resources);
    let updated: Space;
    try {
      updated = await this.#ctx.spaces.replace({ ...current, spec });
    } catch (err) {
      await release(ledger, ref.name, previous);
      throw toSpacekitError(err, `update space ${ref.organization}/${ref.tenant}/${ref.name}`);
    }
    return (await reconcileSpace(this.#ctx, org, tenant, updated)).object;
  }

  /**
   * Deletes a Space: its namespace and everything in it, then its allocation.
   * @throws {NotFoundError} when it does not exist.
   */
  async delete(ref: SpaceRef, options: DeleteOptions = {}): Promise<void> {
    const space = await this.get(ref);
    await this.#ctx.spaces.delete(space.metadata.namespace, ref.name);
    await deleteNamespace(
      this.#ctx.client,
      spaceNamespace(ref.organization, ref.tenant, ref.name),
      options.wait ?? true,
      options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    );
    await release(this.#tenantLedger(ref.organization, ref.tenant), ref.name);
    await removeFinalizer(this.#ctx.spaces, space);
  }

  /** Resolves once the Space is Ready for its current generation; throws if provisioning failed. */
  async waitReady(ref: SpaceRef, options: { timeoutMs?: number } = {}): Promise<Space> {
    return waitUntilReady(`space ${ref.organization}/${ref.tenant}/${ref.name}`, () => this.get(ref), options.timeoutMs);
  }

  /**
   * Makes the cluster match the Space's spec again: re-creates deleted
   * objects, reverts changed ones, prunes stale ones. With nothing to do it
   * makes no write; `apply.writes` says how many it made.
   */
  async reconcile(ref: SpaceRef): Promise<ReconcileResult<Space>> {
    const space = await this.get(ref);
    const { org, tenant } = await this.#parents(ref.organization, ref.tenant);
    return reconcileSpace(this.#ctx, org, tenant, space);
  }
}
