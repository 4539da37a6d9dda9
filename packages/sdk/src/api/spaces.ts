import { ConflictError, NotFoundError, QuotaExceededError, ValidationError } from '../errors.ts';
import type { EngineContext } from '../engine/context.ts';
import { finalizeSpace } from '../engine/finalize.ts';
import { canonicalResources, type Held, parentKey, queueSettle, reserveInProcess, sameResources, settled } from '../engine/allocation.ts';
import { recordedBasis } from '../engine/legacy-ledger.ts';
import type { ReconcileResult } from '../engine/outcome.ts';
import { tenantLedger } from '../engine/ledgers.ts';
import { reconcileSpace } from '../engine/space.ts';
import { policyIssues } from '../engine/space-decision.ts';
import { CLEANUP_FINALIZER } from '../cluster/index.ts';
import { statusCode, toSpacekitError } from '../kube/index.ts';
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
import {
  type CredentialOptions,
  type ScopedCredentials,
  spaceCredentials,
  type SpaceKubeconfig,
  spaceKubeconfig,
  type SpaceKubeconfigOptions,
} from './credentials.ts';
import {
  type ChangeOptions,
  type CreateSpaceInput,
  CreateSpaceInputSchema,
  type DeleteOptions,
  type SpaceRef,
  type UpdateSpaceInput,
} from './inputs.ts';
import {
  assertNamespaceFree,
  DEFAULT_TIMEOUT_MS,
  NO_OPERATOR_HINT,
  quotaEnforcement,
  refusal,
  statusError,
  takeableNamespace,
  updateThroughOperator,
  waitFor,
  waitUntilReady,
} from './lifecycle.ts';
import type { Provisioning } from './mode.ts';
import { changesObject, validate } from '../model/index.ts';
import { quantitiesAsStrings } from '../quantity/index.ts';
import { failpoint } from '../util/failpoint.ts';
import { driveSpaceDeletion, sameObject } from './space-deletion.ts';

export type { ChangeOptions, DeleteOptions } from './inputs.ts';

function storedSpec(spec: SpaceSpec): SpaceSpec {
  return {
    ...spec,
    resources: quantitiesAsStrings(spec.resources),
    containerDefaults: {
      request: quantitiesAsStrings(spec.containerDefaults.request),
      limit: quantitiesAsStrings(spec.containerDefaults.limit),
    },
  };
}

function checkPolicy(org: Organization, spec: SpaceSpec): void {
  const issues = policyIssues(org, spec);
  if (issues.length > 0) throw new ValidationError('space', issues);
}

const label = (ref: SpaceRef) => `space ${ref.organization}/${ref.tenant}/${ref.name}`;

/** Create, read, resize and delete Spaces. Obtain it as `kit.spaces`. */
export class Spaces {
  readonly #ctx: EngineContext;
  readonly #provisioning: Provisioning;

  constructor(ctx: EngineContext, provisioning: Provisioning) {
    this.#ctx = ctx;
    this.#provisioning = provisioning;
  }

  async #parents(organization: string, tenant: string): Promise<{ org: Organization; tenant: Tenant }> {
    const [org, t] = await Promise.all([this.#ctx.organizations.get(undefined, organization), this.#ctx.tenants.get(organization, tenant)]);
    if (!org)
      throw new NotFoundError(`organization "${organization}" does not exist; create it first (spacekit create org ${organization})`);
    if (!t)
      throw new NotFoundError(
        `tenant "${organization}/${tenant}" does not exist; create it first (spacekit create tenant ${organization}/${tenant})`,
      );
    return { org, tenant: t };
  }

  #embedded(organization: string, tenant: string): Promise<boolean> {
    return this.#provisioning.embedded({ resource: 'tenants', namespace: organizationNamespace(organization), name: tenant });
  }

  /**
   * Creates a Space and provisions it: reserves its allocation in the
   * tenant's budget, creates the Space object and its namespace with quota,
   * limits, network policies, member bindings, Pod Security and sandbox.
   * Resolves with the Space once it is Ready.
   *
   * A caller without cluster rights (a tenant admin) gets the same: the
   * Space object is written and the operator provisions it; a refusal
   * removes the object again, so nothing is left half-made.
   *
   * @throws {ValidationError} for input the schema refuses (nothing is sent).
   * @throws {NameError} when the namespace name would be invalid or too long, or one that every Space's network policies select by name (the ingress controller's).
   * @throws {QuotaExceededError} when the allocation does not fit in the tenant's budget.
   * @throws {NotFoundError} when the organization or tenant does not exist.
   * @throws {ConflictError} when the Space or its namespace already exists.
   * @throws {ForbiddenError} when the caller may not create Spaces in this tenant.
   */
  async create(input: CreateSpaceInput, options: ChangeOptions = {}): Promise<Space> {
    const { organization: o, tenant: t, name: s, labels, ...parsed } = validate(CreateSpaceInputSchema, input, 'space');
    const ref = { organization: o, tenant: t, name: s };
    const namespace = takeableNamespace(this.#ctx.settings, 'space', s, spaceNamespace(o, t, s));
    const spec = storedSpec(parsed);
    await this.#ctx.client.ensureInstalled();
    const object = (finalizers: string[]): Space => ({
      apiVersion: GROUP_VERSION,
      kind: 'Space',
      metadata: {
        name: s,
        namespace: tenantNamespace(o, t),
        labels: { ...labels, [LABELS.organization]: o, [LABELS.tenant]: t },
        finalizers,
      },
      spec,
    });
    try {
      if (!(await this.#embedded(o, t))) return await this.#createThroughOperator(ref, object([]), options);
      // Everything that may refuse the request, read at once. The tenant as this connection last wrote it
      // will do: the ledger write checks its resourceVersion, and a refusal is confirmed on a fresh read.
      const ledger = tenantLedger(this.#ctx, o, t);
      const cached = this.#ctx.lastParents.get(parentKey(ledger)) as Tenant | undefined;
      const [org, tenant, existing] = await Promise.all([
        this.#ctx.organizations.get(undefined, o),
        cached ?? this.#ctx.tenants.get(o, t),
        this.#ctx.spaces.get(tenantNamespace(o, t), s),
        assertNamespaceFree(this.#ctx.client, namespace, label(ref)),
      ]);
      if (!org) throw new NotFoundError(`organization "${o}" does not exist; create it first (spacekit create org ${o})`);
      if (!tenant) throw new NotFoundError(`tenant "${o}/${t}" does not exist; create it first (spacekit create tenant ${o}/${t})`);
      if (existing) throw new ConflictError(`${label(ref)} already exists; use update to change it`);
      checkPolicy(org, spec);
      const { held: reservation, parent } = await reserveInProcess(this.#ctx, ledger, s, {}, spec.resources, tenant);
      await failpoint('space-create-after-reserve');
      let created: Space;
      try {
        created = await this.#ctx.spaces.create(object([CLEANUP_FINALIZER]));
      } catch (err) {
        queueSettle(this.#ctx, ledger, s, reservation.entry.id, false);
        if (statusCode(err) === 409) throw new ConflictError(`${label(ref)} already exists; use update to change it`);
        throw err;
      }
      try {
        const result = await reconcileSpace(this.#ctx, ref, {
          space: created,
          organization: org,
          tenant: parent,
          apply: { fresh: true },
          awaitQuota: (quota) => quotaEnforcement(this.#ctx.client, namespace, quota, options.timeoutMs),
        });
        if (result.outcome === 'ready' && result.object) {
          await settled(this.#ctx, ledger, s);
          return result.object;
        }
        throw (
          (result.object && statusError(label(ref), result.object)) ??
          new ConflictError(`${label(ref)} could not be provisioned (${result.outcome})`)
        );
      } catch (err) {
        // Leave nothing half-made: take the Space back out, with its allocation.
        await this.#ctx.spaces.delete(created.metadata.namespace, s);
        await finalizeSpace(this.#ctx, ref, created, { waitForNamespace: false });
        throw err;
      }
    } catch (err) {
      throw toSpacekitError(err, `create ${label(ref)}`);
    }
  }

  async #createThroughOperator(ref: SpaceRef, object: Space, options: ChangeOptions): Promise<Space> {
    const ledger = tenantLedger(this.#ctx, ref.organization, ref.tenant);
    // Checked here first when the caller may read the tenant, so that a clear refusal needs no round trip through the operator.
    const early = await refusal(ledger, ref.name, object.spec.resources);
    if (early) throw early;
    await this.#ctx.spaces.create(object);
    try {
      return await waitUntilReady(label(ref), () => this.get(ref), options.timeoutMs, NO_OPERATOR_HINT);
    } catch (err) {
      await this.#ctx.spaces.delete(object.metadata.namespace, ref.name);
      throw err instanceof QuotaExceededError ? ((await refusal(ledger, ref.name, object.spec.resources, err)) ?? err) : err;
    }
  }

  /** Reads a Space. @throws {NotFoundError} */
  async get(ref: SpaceRef): Promise<Space> {
    // Checks every part of the name before any request: an empty name would address the whole collection.
    spaceNamespace(ref.organization, ref.tenant, ref.name);
    await this.#ctx.client.ensureInstalled();
    let space: Space | undefined;
    try {
      space = await this.#ctx.spaces.get(tenantNamespace(ref.organization, ref.tenant), ref.name);
    } catch (err) {
      throw toSpacekitError(err, `read ${label(ref)}`);
    }
    if (!space) throw new NotFoundError(`${label(ref)} does not exist`);
    return space;
  }

  /** Lists the Spaces of one tenant, or of a whole organization when `tenant` is left out. */
  async list(scope: { organization: string; tenant?: string }): Promise<Space[]> {
    if (scope.tenant !== undefined) tenantNamespace(scope.organization, scope.tenant);
    else organizationNamespace(scope.organization);
    await this.#ctx.client.ensureInstalled();
    try {
      if (scope.tenant) return await this.#ctx.spaces.list(tenantNamespace(scope.organization, scope.tenant));
      return await this.#ctx.spaces.list(undefined, `${LABELS.organization}=${scope.organization}`);
    } catch (err) {
      throw toSpacekitError(
        err,
        `list the spaces of ${scope.tenant ? `tenant ${scope.organization}/${scope.tenant}` : `organization ${scope.organization}`}`,
      );
    }
  }

  /**
   * Changes a Space: resize it, change members, network or sandbox. Growth is
   * checked against the tenant's budget first; nothing changes if it does not fit.
   */
  async update(ref: SpaceRef, changes: UpdateSpaceInput, options: ChangeOptions = {}): Promise<Space> {
    const patch = changesObject(changes, 'space update');
    try {
      const current = await this.get(ref);
      // Its share goes back once its namespace is gone; changing it meanwhile would hand out what its quota still grants.
      if (current.metadata.deletionTimestamp) throw new ConflictError(`${label(ref)} is being deleted, so it cannot be changed`);
      const spec = storedSpec(validate(SpaceSpecSchema, { ...current.spec, ...patch }, 'space'));
      if (!(await this.#embedded(ref.organization, ref.tenant))) {
        return await updateThroughOperator({
          label: label(ref),
          ledger: tenantLedger(this.#ctx, ref.organization, ref.tenant),
          child: ref.name,
          current,
          spec,
          read: () => this.get(ref),
          replace: (object) => this.#ctx.spaces.replace(object),
          timeoutMs: options.timeoutMs,
        });
      }
      const { org } = await this.#parents(ref.organization, ref.tenant);
      checkPolicy(org, spec);
      const ledger = tenantLedger(this.#ctx, ref.organization, ref.tenant);
      const basis = await recordedBasis(this.#ctx, ledger, current, () => this.get(ref));
      let tenant: Tenant | undefined;
      let reservation: Held | undefined;
      if (!sameResources(basis, canonicalResources(spec.resources))) {
        ({ held: reservation, parent: tenant } = await reserveInProcess(this.#ctx, ledger, ref.name, basis, spec.resources));
      }
      let updated: Space;
      try {
        updated = await this.#ctx.spaces.replace({ ...current, spec });
      } catch (err) {
        if (reservation) queueSettle(this.#ctx, ledger, ref.name, reservation.entry.id, false);
        throw err;
      }
      const result = await reconcileSpace(this.#ctx, ref, { space: updated, organization: org, ...(tenant && { tenant }) });
      if (!result.object) throw new NotFoundError(`${label(ref)} was deleted while it was being updated`);
      await settled(this.#ctx, ledger, ref.name);
      return result.object;
    } catch (err) {
      throw toSpacekitError(err, `update ${label(ref)}`);
    }
  }

  /**
   * Deletes a Space: its namespace and everything in it, then its allocation.
   * @throws {NotFoundError} when it does not exist.
   */
  async delete(ref: SpaceRef, options: DeleteOptions = {}): Promise<void> {
    const wait = options.wait ?? true;
    try {
      const space = await this.get(ref);
      await this.#ctx.spaces.delete(space.metadata.namespace, ref.name);
      if (!(await this.#embedded(ref.organization, ref.tenant))) {
        if (wait) await this.#waitGone(ref, space.metadata.uid, options.timeoutMs);
        return;
      }
      await driveSpaceDeletion(this.#ctx, ref, wait, options.timeoutMs, space.metadata.uid);
    } catch (err) {
      throw toSpacekitError(err, `delete ${label(ref)}`);
    }
  }

  async #waitGone(ref: SpaceRef, uid: string | undefined, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    await waitFor(
      `${label(ref)} to be deleted`,
      async () => (sameObject(await this.#ctx.spaces.get(tenantNamespace(ref.organization, ref.tenant), ref.name), uid) ? undefined : true),
      timeoutMs,
      NO_OPERATOR_HINT,
    );
  }

  /**
   * Credentials that work in this Space only: a ServiceAccount bound to the
   * Space's developer (or viewer) role, with a bound token and a kubeconfig.
   * See {@link spaceCredentials}.
   */
  async credentials(ref: SpaceRef, options: CredentialOptions = {}): Promise<ScopedCredentials> {
    await this.get(ref);
    return spaceCredentials(this.#ctx, ref, options);
  }

  /**
   * A kubeconfig that works in this Space, for a terminal or a tool. With the
   * right to issue credentials (Space and Tenant admins) it carries a
   * Space-scoped ServiceAccount token ({@link credentials}); without it (a
   * developer or viewer) it carries the caller's own credentials with the
   * Space as the default namespace. Either way it grants no right the caller
   * does not have. `identity` forces one of the two.
   *
   * @throws {NotFoundError} when the Space does not exist or the caller may not read it;
   *   {@link ForbiddenError} when `identity: 'issued'` is asked without the right.
   */
  async kubeconfig(ref: SpaceRef, options: SpaceKubeconfigOptions = {}): Promise<SpaceKubeconfig> {
    await this.get(ref);
    return spaceKubeconfig(this.#ctx, ref, options);
  }

  /** Resolves once the Space is Ready for its current generation; throws if provisioning failed. */
  async waitReady(ref: SpaceRef, options: { timeoutMs?: number } = {}): Promise<Space> {
    return waitUntilReady(label(ref), () => this.get(ref), options.timeoutMs);
  }

  /**
   * Makes the cluster match the Space's spec again: re-creates deleted
   * objects, reverts changed ones, prunes stale ones. With nothing to do it
   * makes no write; `apply.writes` says how many it made.
   */
  async reconcile(ref: SpaceRef): Promise<ReconcileResult<Space>> {
    const space = await this.get(ref);
    return reconcileSpace(this.#ctx, ref, { space });
  }
}
