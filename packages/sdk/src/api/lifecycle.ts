import { setTimeout as sleep } from 'node:timers/promises';
import { allocatedTotal } from '../budget/budget.ts';
import { checkBudgetChange, checkChange } from '../budget/reservations.ts';
import { ConflictError, NameError, NotFoundError, QuotaExceededError, SpacekitError, TimeoutError, ValidationError } from '../errors.ts';
import { canonicalResources, childAllocations, type ParentRef, recordedAllocation, totalsOf } from '../engine/allocation.ts';
import { onConflictRetry } from '../cluster/index.ts';
import { type QuotaObject, quotaEnforced } from '../engine/space-decision.ts';
import { type KubeClient, statusCode, watchUntil } from '../kube/index.ts';
import { OBJECT_NAMES, selectedNamespaceProblem } from '../render/index.ts';
import { backoffDelay } from '../util/backoff.ts';
import {
  CONDITION_REASONS as R,
  CONDITION_TYPES as C,
  type ClusterSettings,
  LABELS,
  MANAGER,
  type Organization,
  type Space,
  type Tenant,
} from '../model/index.ts';

/** How long waits take at most, unless the caller says otherwise. */
export const DEFAULT_TIMEOUT_MS = 120_000;

type AnyCr = Organization | Tenant | Space;

/**
 * Polls `probe` until it returns a value, waiting `firstIntervalMs` (at most 500) and then twice as long each time up to
 * 500 ms; throws {@link TimeoutError} saying what it waited for.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  hint = '',
  firstIntervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new TimeoutError(`gave up after ${timeoutMs / 1000}s waiting for ${what}${hint}`);
    await sleep(backoffDelay({ initialMs: firstIntervalMs, maxMs: 500 }, attempt));
  }
}

/**
 * A new level's namespace, refused when every Space's network policies
 * select it by name (the ingress controller's, say), before anything is written.
 *
 * @throws {NameError} naming the namespace and what the policies grant it.
 */
export function takeableNamespace(
  settings: ClusterSettings,
  kind: 'organization' | 'tenant' | 'space',
  name: string,
  namespace: string,
): string {
  const problem = selectedNamespaceProblem(kind, name, namespace, settings);
  if (problem) throw new NameError(name, problem);
  return namespace;
}

/**
 * Refuses to take over a namespace that exists but that Spacekit did not
 * make, or one still being deleted (a level of the same name was deleted a
 * moment ago without waiting).
 */
export async function assertNamespaceFree(client: KubeClient, namespace: string, forWhat: string): Promise<void> {
  const existing = await client.read<{
    apiVersion: string;
    kind: string;
    metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string };
  }>({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace },
  });
  if (!existing) return;
  if (existing.metadata.labels?.[LABELS.managedBy] !== MANAGER) {
    throw new ConflictError(
      `namespace ${namespace} already exists and is not managed by Spacekit, so ${forWhat} cannot use it; choose another name or remove that namespace`,
    );
  }
  if (existing.metadata.deletionTimestamp) {
    throw new ConflictError(
      `namespace ${namespace} is still being deleted (something of that name was deleted a moment ago); try again once it is gone`,
    );
  }
}

/**
 * The typed error a failed object's status stands for, or undefined while it
 * has not failed. The Ready condition's reason picks the class and its
 * message, written by the reconciler, says what to do.
 */
export function statusError(label: string, object: AnyCr): SpacekitError | undefined {
  if (object.status?.phase !== 'Failed') return undefined;
  const ready = object.status.conditions?.find((c) => c.type === C.ready);
  const message = ready?.message ?? 'provisioning failed';
  switch (ready?.reason) {
    case R.quotaExceeded:
      return new QuotaExceededError({ resource: '', parent: '', requested: '', budget: '', free: '', holders: [], message });
    case R.invalidSpec:
    case R.policyViolation:
      return new ValidationError(label, [{ path: '', message }]);
    case R.parentNotFound:
      return new NotFoundError(`cannot provision ${label}: ${message}`);
    default:
      return new SpacekitError('CLUSTER', `cannot provision ${label}: ${message}`);
  }
}

/**
 * Polls `read` until the object is Ready for its current generation. Throws
 * as soon as it is Failed, with the error its status stands for, rather than
 * waiting out the timeout.
 */
export async function waitUntilReady<T extends AnyCr>(
  label: string,
  read: () => Promise<T>,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  hint = '',
): Promise<T> {
  return waitFor(
    `${label} to be Ready`,
    async () => {
      const object = await read();
      const current = (object.status?.observedGeneration ?? 0) >= (object.metadata.generation ?? 0);
      if (!current) return undefined;
      const failure = statusError(label, object);
      if (failure) throw failure;
      return object.status?.phase === 'Ready' ? object : undefined;
    },
    timeoutMs,
    hint,
  );
}

/**
 * The Space quota once Kubernetes enforces it, watched rather than polled: the
 * embedded counterpart of the operator reacting to the quota's status.
 */
export function quotaEnforcement(
  client: KubeClient,
  namespace: string,
  quota: QuotaObject,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<QuotaObject> {
  return watchUntil<QuotaObject>(
    client,
    `/api/v1/namespaces/${namespace}/resourcequotas`,
    {
      fieldSelector: `metadata.name=${OBJECT_NAMES.quota}`,
      ...(quota.metadata.resourceVersion && { resourceVersion: quota.metadata.resourceVersion }),
      timeoutMs,
      what: `Kubernetes to enforce the quota of namespace ${namespace}`,
      hint: '; is the kube-controller-manager (its resourcequota controller) running?',
    },
    quotaEnforced,
  );
}

/** What to say when nothing reconciles: the most likely reason is that no operator runs. */
export const NO_OPERATOR_HINT =
  '; nothing reconciled it. This connection may not provision by itself, so it relies on the Spacekit operator: is it running? (spacekit install --operator, or spacekit operator)';

/**
 * The precise refusal for a child that does not fit its parent's budget,
 * checked against the parent's total when the caller may read it, naming the
 * holders when the caller may list the children. Falls back to `fallback`
 * (from the child's status) when it cannot, or when the budget has room
 * again by now.
 */
export async function refusal(
  ref: ParentRef<Organization | Tenant>,
  child: string,
  resources: Readonly<Record<string, string | number>>,
  fallback?: SpacekitError,
  basis: Readonly<Record<string, string | number>> = {},
): Promise<SpacekitError | undefined> {
  let parent: Organization | Tenant | undefined;
  try {
    parent = (await ref.store.get(ref.namespace, ref.name)) as Organization | Tenant | undefined;
  } catch (err) {
    if (statusCode(err) === 403) return fallback;
    throw err;
  }
  const totals = parent && totalsOf(parent, ref);
  if (!totals) return fallback;
  try {
    checkChange(totals, child, canonicalResources(basis), canonicalResources(resources));
  } catch (err) {
    if (!(err instanceof QuotaExceededError)) throw err;
    const children = await childAllocations(ref).catch(() => undefined);
    if (!children) return err;
    try {
      checkChange(totals, child, canonicalResources(basis), canonicalResources(resources), children);
    } catch (named) {
      if (named instanceof QuotaExceededError) return named;
    }
    return err;
  }
  return fallback;
}

/**
 * Refuses a parent's new budget below what its children hold in total, before anything is sent,
 * naming the children that hold it when the caller may list them.
 *
 * @throws {QuotaExceededError}
 */
export async function checkShrink(
  ref: ParentRef<Organization | Tenant>,
  parent: Organization | Tenant,
  resources: Readonly<Record<string, string | number>>,
): Promise<void> {
  const legacy = parent.status?.allocations;
  const allocated = legacy ? allocatedTotal({ allocations: legacy }) : (parent.status?.usage?.allocated ?? {});
  const totals = { parent: ref.label, childKind: ref.childKind, budget: parent.spec.resources, allocated };
  try {
    checkBudgetChange(totals, resources);
  } catch (err) {
    if (!(err instanceof QuotaExceededError)) throw err;
    const children = await childAllocations(ref).catch(() => undefined);
    if (children) checkBudgetChange(totals, resources, children);
    throw err;
  }
}

/** What {@link updateThroughOperator} needs of one level. */
export interface OperatorUpdate<T extends AnyCr> {
  label: string;
  /** The parent's ledger the change is allocated from, and the child's name in it. */
  ledger: ParentRef<Organization | Tenant>;
  child: string;
  current: T;
  spec: T['spec'] & { resources: Record<string, string | number> };
  read: () => Promise<T>;
  replace: (object: T) => Promise<T>;
  timeoutMs?: number | undefined;
}

/**
 * Changes a spec and lets the operator provision it, for a caller who may
 * not provision by itself. A refusal it can see coming is thrown before
 * anything is written; one the operator makes (the budget changed in
 * between) puts the old spec back, so that a refused update changes nothing.
 */
export async function updateThroughOperator<T extends AnyCr>(u: OperatorUpdate<T>): Promise<T> {
  const early = await refusal(u.ledger, u.child, u.spec.resources, undefined, recordedAllocation(u.current as never));
  if (early) throw early;
  const updated = await u.replace({ ...u.current, spec: u.spec });
  const settled = await waitFor(
    `${u.label} to take its new spec`,
    async () => {
      const object = await u.read();
      return (object.status?.observedGeneration ?? 0) >= (updated.metadata.generation ?? 0) ? object : undefined;
    },
    u.timeoutMs,
    NO_OPERATOR_HINT,
  );
  const resize = settled.status?.conditions?.find((c) => c.type === C.quotaExceeded);
  if (resize?.status !== 'True') {
    const failure = statusError(u.label, settled);
    if (failure) throw failure;
    return settled;
  }
  // The operator kept the old allocation; put the old spec back too.
  await onConflictRetry(async () => {
    const now = await u.read();
    if (now.metadata.generation !== updated.metadata.generation) return;
    await u.replace({ ...now, spec: u.current.spec });
  });
  const fallback = new QuotaExceededError({
    resource: '',
    parent: '',
    requested: '',
    budget: '',
    free: '',
    holders: [],
    message: resize.message,
  });
  throw (await refusal(u.ledger, u.child, u.spec.resources, fallback, recordedAllocation(u.current as never))) ?? fallback;
}
