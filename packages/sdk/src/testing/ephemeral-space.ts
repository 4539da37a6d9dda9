import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiConstructor, ApiType, KubeConfig } from '@kubernetes/client-node';
import type { CredentialOptions, ScopedCredentials } from '../api/credentials.ts';
import type { SpaceRef, TenantRef } from '../api/inputs.ts';
import { QuotaExceededError } from '../errors.ts';
import { type Space, spaceNamespace } from '../model/index.ts';
import type { Spacekit } from '../spacekit.ts';
import { backoffDelay } from '../util/backoff.ts';
import { budgetLimitError } from './budget-error.ts';
import { openEphemeralSpaces } from './open-spaces.ts';
import {
  checkEphemeralOptions,
  DEFAULT_EPHEMERAL_PREFIX,
  DEFAULT_EPHEMERAL_TTL,
  type EphemeralSpaceShape,
  ephemeralSpaceInput,
  ephemeralSpaceName,
  parseTenant,
  randomSuffix,
  type ResourcesInput,
  type SandboxInput,
  SUFFIX_LENGTH,
  tokenLifetimeSeconds,
} from './plan.ts';
import { SpaceRemoval } from './space-removal.ts';

/** Options for {@link ephemeralSpace}. */
export interface EphemeralSpaceOptions extends EphemeralSpaceShape {
  /** The tenant whose budget pays for the Space: `{ organization, name }` or `'organization/tenant'`. */
  tenant: TenantRef | string;
  /** Start of the generated name, `<prefix>-<8 random hex>`. Default `test`. */
  prefix?: string;
  /** The Space's allocation; the caller's keys win over the default `{ cpu: '500m', memory: '512Mi' }`. */
  resources?: ResourcesInput;
  /** `gvisor` (the default) or `none` (the organization's policy must allow it). */
  sandbox?: SandboxInput;
  /** Delete the Space this long after it was created, if nobody does first. Default `1h`; always set. */
  ttl?: string;
  /** Labels of your own, such as a CI run id; `testing.spacekit.dev/ephemeral: "true"` is always added. */
  labels?: Record<string, string>;
  /** The scoped credentials: role (default `developer`), ServiceAccount name, token lifetime (default: the TTL, 10 min to 24 h). */
  credentials?: CredentialOptions;
  /**
   * When the tenant's budget is full, wait up to this long for another
   * worker to free its Space instead of failing at once. Default 0.
   */
  waitForBudgetMs?: number;
  /** Upper bound on each wait: for Ready, and for the namespace to go on dispose. Default 120 s. */
  timeoutMs?: number;
}

/** Options for {@link EphemeralSpace.dispose}. */
export interface DisposeOptions {
  /** Wait until the namespace is gone (default true). With false, return once deletion has started. */
  wait?: boolean;
}

/**
 * A Space of its own for one test run or worker: Ready, reachable only
 * through credentials scoped to it, and deleted by {@link dispose} (or by
 * `await using`, or on SIGINT/SIGTERM, or by the operator when its TTL runs
 * out, whichever comes first).
 */
export interface EphemeralSpace extends AsyncDisposable {
  /** Its address, for `kit.spaces.get(ref)` and the like. */
  readonly ref: SpaceRef;
  /** The namespace where the test's workloads go: `<organization>--<tenant>--<name>`. */
  readonly namespace: string;
  /** The Space as it was once Ready. */
  readonly space: Space;
  /** When the operator deletes it if nobody does first (ISO 8601), as its status says. */
  readonly expiresAt: string | undefined;
  /** The ServiceAccount token and kubeconfig that work in this Space only. */
  readonly credentials: ScopedCredentials;
  /** A kubeconfig file's text for that ServiceAccount, defaulting to the namespace: for kubectl, helm or another process. */
  readonly kubeconfig: string;
  /** The same, loaded. */
  readonly kubeConfig: KubeConfig;
  /** A typed client acting as the scoped ServiceAccount, such as `space.api(AppsV1Api)`. */
  api<T extends ApiType>(apiClass: ApiConstructor<T>): T;
  /** True once {@link dispose} has been called. */
  readonly disposed: boolean;
  /**
   * Deletes the Space and everything in it, and waits until its namespace is
   * gone (or, with `{ wait: false }`, returns once deletion has started).
   * Safe to call more than once, and after the Space expired.
   */
  dispose(options?: DisposeOptions): Promise<void>;
}

class OpenEphemeralSpace implements EphemeralSpace {
  readonly ref: SpaceRef;
  readonly namespace: string;
  readonly space: Space;
  readonly credentials: ScopedCredentials;
  readonly #removal: SpaceRemoval;
  #disposed = false;

  constructor(ref: SpaceRef, space: Space, credentials: ScopedCredentials, removal: SpaceRemoval) {
    this.ref = ref;
    this.namespace = credentials.namespace;
    this.space = space;
    this.credentials = credentials;
    this.#removal = removal;
  }

  get expiresAt(): string | undefined {
    return this.space.status?.expiresAt;
  }

  get kubeconfig(): string {
    return this.credentials.kubeconfig;
  }

  get kubeConfig(): KubeConfig {
    return this.credentials.kubeConfig;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  api<T extends ApiType>(apiClass: ApiConstructor<T>): T {
    return this.credentials.kubeConfig.makeApiClient(apiClass);
  }

  dispose(options: DisposeOptions = {}): Promise<void> {
    this.#disposed = true;
    return this.#removal.remove(options.wait ?? true);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

/**
 * Creates a uniquely named Space in `tenant` for one test run or worker and
 * waits until it is Ready; returns it with a kubeconfig and clients scoped to
 * it alone (a ServiceAccount token bound to the Space's developer role), so
 * that no admin right leaks into the test.
 *
 * It is always deleted: by `dispose()` or `await using`, by SIGINT/SIGTERM
 * handlers while it is open, and otherwise by the operator once its TTL
 * (default 1h) runs out, even when the run crashed.
 *
 * `kit` may provision embedded (a cluster admin or CI robot) or through the
 * operator (a tenant admin); both work.
 *
 * @example
 * ```ts
 * await using space = await ephemeralSpace(kit, { tenant: 'acme/ci' });
 * await space.api(AppsV1Api).createNamespacedDeployment({ namespace: space.namespace, body: deployment });
 * ```
 *
 * @throws {QuotaExceededError} when the tenant's budget has no room; the message says so and what to change, the original is its `cause`.
 * @throws {ValidationError} for bad options; {@link NameError} for names that cannot make a namespace. Nothing is sent for either.
 * @throws {NotFoundError} when the tenant does not exist; {@link ForbiddenError} when the caller may not create Spaces in it.
 */
export async function ephemeralSpace(kit: Spacekit, options: EphemeralSpaceOptions): Promise<EphemeralSpace> {
  const tenant = parseTenant(options.tenant);
  checkEphemeralOptions(options);
  // Every suffix has the same length, so one trial name checks the prefix and the namespace length for all;
  // x's stand for the random part in the message.
  ephemeralSpaceName(tenant, options.prefix ?? DEFAULT_EPHEMERAL_PREFIX, 'x'.repeat(SUFFIX_LENGTH));
  const started = Date.now();
  const waitForBudgetMs = options.waitForBudgetMs ?? 0;
  for (let attempt = 1; ; attempt++) {
    const pause = backoffDelay({ initialMs: 250, maxMs: 5_000 }, attempt);
    try {
      return await createOnce(kit, tenant, options);
    } catch (err) {
      if (!(err instanceof QuotaExceededError)) throw err;
      // Waiting helps only when the Space asks for too much, not when it leaves out a resource the tenant budgets.
      const worthWaiting = err.requested !== 'nothing' && Date.now() + pause < started + waitForBudgetMs;
      if (!worthWaiting)
        throw budgetLimitError(err, {
          tenant,
          openInProcess: openEphemeralSpaces.size,
          waitedMs: waitForBudgetMs > 0 ? Date.now() - started : 0,
        });
      await sleep(pause);
    }
  }
}

async function createOnce(kit: Spacekit, tenant: TenantRef, options: EphemeralSpaceOptions): Promise<EphemeralSpace> {
  const input = ephemeralSpaceInput(tenant, options, randomSuffix(), { pid: process.pid, host: hostname() });
  const ref: SpaceRef = { organization: tenant.organization, tenant: tenant.name, name: input.name };
  const removal = new SpaceRemoval(kit, ref, spaceNamespace(ref.organization, ref.tenant, ref.name), options.timeoutMs);
  const creating = kit.spaces.create(input, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
  removal.watch(creating);
  let space: Space;
  try {
    space = await creating;
  } catch (err) {
    // A refused or failed create takes its Space back itself.
    removal.forget();
    throw err;
  }
  try {
    const credentials = await kit.spaces.credentials(ref, {
      expirationSeconds: tokenLifetimeSeconds(input.ttl ?? DEFAULT_EPHEMERAL_TTL),
      ...options.credentials,
    });
    return new OpenEphemeralSpace(ref, space, credentials, removal);
  } catch (err) {
    // Without credentials the Space is of no use to the caller, who never sees it: take it back now.
    await removal.remove(false).catch(() => undefined);
    throw err;
  }
}
