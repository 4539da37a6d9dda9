import { randomBytes } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { isSubset } from './apply/index.ts';
import { Access } from './api/access.ts';
import { Organizations } from './api/organizations.ts';
import { Spaces } from './api/spaces.ts';
import { Tenants } from './api/tenants.ts';
import { waitFor } from './api/lifecycle.ts';
import { Provisioning, type ProvisioningMode } from './api/mode.ts';
import { validate } from './model/index.ts';
import { spacekitCrds } from './crd/index.ts';
import { engineContext, type EngineContext } from './engine/context.ts';
import { ConflictError, NotFoundError, ValidationError } from './errors.ts';
import { INSTALL_LABEL_SELECTOR, installObjectKinds, renderInstall } from './install/index.ts';
import { type AnyObject, KubeClient, toSpacekitError } from './kube/index.ts';
import { type OperatorManifestOptions, OPERATOR_LABELS, operatorManifestKinds, renderOperatorManifests } from './operator/manifests.ts';
import { Usage } from './usage/index.ts';
import { type LiveOptions, type ProbeSpaces, type VerifyReport, type VerifyScope, verifyCluster } from './verify/index.ts';
import { API_GROUP, type ClusterSettings, type ClusterSettingsInput, ClusterSettingsSchema, spaceNamespace } from './model/index.ts';

/** How to reach the cluster. */
export interface ConnectOptions {
  /** A kubeconfig path, or a loaded KubeConfig. Default: `$KUBECONFIG`, else `~/.kube/config`, else in-cluster. */
  kubeconfig?: string | KubeConfig;
  /** A context in that kubeconfig; default: its current context. */
  context?: string;
  /** Cluster-wide settings for install() and render(). */
  settings?: ClusterSettingsInput;
  /**
   * Who provisions what this connection asks for: this process
   * (`embedded`), the in-cluster operator (`operator`), or whichever the
   * caller's rights allow (`auto`, the default). See {@link ProvisioningMode}.
   */
  mode?: ProvisioningMode;
  /**
   * How long this connection may take between reserving budget for a change and recording it in the
   * Space or Tenant (ADR 0015); after that it gives the reservation back and the call fails, and an
   * operator may give back one it finds after twice as long, in case this process crashed. Default 10 s.
   */
  reservationLeaseMs?: number;
}

const OPERATOR_SELECTOR = Object.entries(OPERATOR_LABELS)
  .map(([k, v]) => `${k}=${v}`)
  .join(',');

/** What install() installs besides the CRDs, roles and admission policies. */
export interface InstallOptions {
  /**
   * Also install the operator: its namespace, ServiceAccount, least-privilege
   * RBAC, Deployment and metrics Service. Options pick the image, replicas
   * (0 keeps the Deployment at zero, to run `spacekit operator` elsewhere
   * with the same identity), namespace and metrics port.
   */
  operator?: boolean | OperatorManifestOptions;
}

/** What install() did. */
export interface InstallResult {
  /** `Kind/name` of every object created or changed; empty when Spacekit was already installed as configured. */
  changed: string[];
  unchanged: string[];
}

/**
 * A connection to one cluster, and the entry point of the SDK.
 *
 * @example
 * ```ts
 * const kit = await connect();
 * await kit.install();
 * await kit.organizations.create({ name: 'acme', resources: { cpu: 16, memory: '64Gi' } });
 * await kit.tenants.create({ organization: 'acme', name: 'payments', resources: { cpu: 8, memory: '32Gi' } });
 * const space = await kit.spaces.create({ organization: 'acme', tenant: 'payments', name: 'dev', resources: { cpu: 2, memory: '4Gi' } });
 * console.log(space.status?.namespace); // acme--payments--dev
 * ```
 */
export class Spacekit {
  readonly organizations: Organizations;
  readonly tenants: Tenants;
  readonly spaces: Spaces;
  /** Live usage at every level: snapshots and watches. */
  readonly usage: Usage;
  /** What the caller may do at each level, from the API server's own answer (SelfSubjectRulesReview). */
  readonly access: Access;
  readonly settings: ClusterSettings;
  readonly kubeConfig: KubeConfig;
  readonly #ctx: EngineContext;

  constructor(kubeConfig: KubeConfig, settings: ClusterSettings, mode: ProvisioningMode = 'auto', reservationLeaseMs?: number) {
    this.kubeConfig = kubeConfig;
    this.settings = settings;
    this.#ctx = engineContext(new KubeClient(kubeConfig), settings, reservationLeaseMs === undefined ? {} : { reservationLeaseMs });
    const provisioning = new Provisioning(this.#ctx.client, mode);
    this.spaces = new Spaces(this.#ctx, provisioning);
    this.tenants = new Tenants(this.#ctx, provisioning);
    this.organizations = new Organizations(this.#ctx, provisioning);
    this.usage = new Usage(this.#ctx.client, this.#ctx);
    this.access = new Access(this.#ctx.client);
  }

  /**
   * Checks that the cluster keeps tenants apart and within budget, in `scope`
   * (everything by default), changing nothing it did not make: names, budgets,
   * every Ready Space's objects as rendered, the install objects and policy
   * bindings, leftovers of deleted organizations, the MTB pod rules and the
   * sandbox by server-side dry run, and members' rights (access reviews and
   * impersonated dry runs). With `live`, it also makes a short-lived probe
   * organization (three Spaces in two tenants), runs probe pods in it, tries
   * connections from inside them and reads their kernel, and removes it again,
   * also when a check fails or `live.signal` aborts. The report says which checks
   * ran, which failed and why, and which could not run. Needs a cluster admin.
   */
  async verify(scope: VerifyScope = {}, options: { live?: LiveOptions } = {}): Promise<VerifyReport> {
    try {
      return await verifyCluster(this.#ctx, scope, options.live && { options: options.live, spaces: this.#probeSpaces() });
    } catch (err) {
      throw toSpacekitError(err, 'verify the cluster');
    }
  }

  /** The live checks' probe organization: a fresh name each run, so that runs never share one. */
  #probeSpaces(): ProbeSpaces {
    const organization = `verify-probe-${randomBytes(4).toString('hex')}`;
    let created = false;
    const space = (tenant: string, name: string, cpu: string, memory: string) =>
      this.spaces.create({ organization, tenant, name, resources: { cpu, memory } });
    return {
      create: async () => {
        created = true;
        await this.organizations.create({ name: organization, resources: { cpu: 2, memory: '2Gi' } });
        for (const tenant of ['t1', 't2']) await this.tenants.create({ organization, name: tenant, resources: { cpu: 1, memory: '1Gi' } });
        await Promise.all([space('t1', 'a', '500m', '512Mi'), space('t1', 'b', '250m', '256Mi'), space('t2', 'c', '250m', '256Mi')]);
        return {
          subject: `probe organization ${organization}`,
          a: spaceNamespace(organization, 't1', 'a'),
          b: spaceNamespace(organization, 't1', 'b'),
          c: spaceNamespace(organization, 't2', 'c'),
        };
      },
      remove: async () => {
        if (created) await this.organizations.delete(organization);
      },
    };
  }

  /** Requests this connection made that changed the cluster, so far. */
  get writes(): number {
    return this.#ctx.client.counter.writes;
  }

  /**
   * The connection's client: every request it sends is counted
   * (`client.raw.requests.count`, and by kind in `client.counter`) and can be
   * observed (`client.raw.onRequest`), for benchmarks and audits.
   */
  get client(): KubeClient {
    return this.#ctx.client;
  }

  /**
   * Applies Spacekit's cluster-wide pieces: the CRDs, ClusterRoles, the
   * gVisor RuntimeClass and the admission policies, and with `operator` the
   * operator's manifests. Idempotent: objects already as configured are not
   * written.
   */
  async install(options: InstallOptions = {}): Promise<InstallResult> {
    const client = this.#ctx.client;
    const result: InstallResult = { changed: [], unchanged: [] };
    const applyIfChanged = async (object: AnyObject) => {
      const id = `${object.kind}/${object.metadata.name}`;
      const live = await client.read(object);
      if (live && isSubset(object, live)) {
        result.unchanged.push(id);
        return;
      }
      await client.apply(object);
      result.changed.push(id);
    };
    try {
      await Promise.all(spacekitCrds().map((crd) => applyIfChanged(crd as unknown as AnyObject)));
      for (const object of renderInstall(this.settings)) await applyIfChanged(object as unknown as AnyObject);
      if (options.operator) {
        const manifests = renderOperatorManifests(this.settings, options.operator === true ? {} : options.operator);
        for (const object of manifests) await applyIfChanged(object as unknown as AnyObject);
      }
    } catch (err) {
      throw toSpacekitError(err, 'install Spacekit');
    }
    client.resetInstalledCheck();
    await waitFor(`the ${API_GROUP} API to be served`, async () => {
      try {
        await client.ensureInstalled();
        return true;
      } catch {
        return undefined;
      }
    });
    return result;
  }

  /**
   * Removes what install() applied and waits until the CRDs are gone. Refuses
   * while any Organization exists, because removing the CRDs would strand
   * their namespaces.
   */
  async uninstall(): Promise<void> {
    const client = this.#ctx.client;
    const remaining = await this.#ctx.organizations.list().catch(() => []);
    if (remaining.length > 0) {
      throw new ConflictError(
        `cannot uninstall while organizations exist (${remaining.map((o) => o.metadata.name).join(', ')}); delete them first`,
      );
    }
    // The operator first, so that it does not fight the removal of what it relies on.
    for (const { apiVersion, kind } of [...operatorManifestKinds].reverse().filter((k) => k.kind !== 'Namespace')) {
      for (const object of await client.list<AnyObject>(apiVersion, kind, undefined, INSTALL_LABEL_SELECTOR)) {
        await client.delete({ ...object, apiVersion, kind });
      }
    }
    for (const { apiVersion, kind } of [...installObjectKinds].reverse()) {
      for (const object of await client.list<AnyObject>(apiVersion, kind, undefined, INSTALL_LABEL_SELECTOR)) {
        await client.delete({ ...object, apiVersion, kind });
      }
    }
    const crds = spacekitCrds() as unknown as AnyObject[];
    for (const crd of crds) await client.delete(crd);
    // A CRD lingers while its finalizer clears the stored objects; an install() right after must not race it.
    await waitFor('the Spacekit CRDs to be removed', async () =>
      (await Promise.all(crds.map((c) => client.read(c)))).some(Boolean) ? undefined : true,
    );
    for (const namespace of await client.list<AnyObject>('v1', 'Namespace', undefined, OPERATOR_SELECTOR)) await client.delete(namespace);
    client.resetInstalledCheck();
  }
}

/**
 * Connects to a cluster. Loads the kubeconfig but makes no request yet, so it
 * works for users who cannot list anything cluster-wide.
 */
export async function connect(options: ConnectOptions = {}): Promise<Spacekit> {
  const settings = validate(ClusterSettingsSchema, options.settings ?? {}, 'settings');
  const lease = options.reservationLeaseMs;
  if (lease !== undefined && !(Number.isInteger(lease) && lease >= 1000)) {
    throw new ValidationError('connect options', [
      { path: 'reservationLeaseMs', message: `must be a whole number of milliseconds, at least 1000 (got ${String(lease)})` },
    ]);
  }
  let kubeConfig: KubeConfig;
  if (options.kubeconfig instanceof KubeConfig) {
    kubeConfig = options.kubeconfig;
  } else {
    kubeConfig = new KubeConfig();
    if (options.kubeconfig) kubeConfig.loadFromFile(options.kubeconfig);
    else kubeConfig.loadFromDefault();
  }
  if (options.context) {
    if (!kubeConfig.getContexts().some((c) => c.name === options.context)) {
      throw new NotFoundError(
        `kubeconfig has no context "${options.context}"; it has: ${
          kubeConfig
            .getContexts()
            .map((c) => c.name)
            .join(', ') || 'none'
        }`,
      );
    }
    kubeConfig.setCurrentContext(options.context);
  }
  return new Spacekit(kubeConfig, settings, options.mode ?? 'auto', options.reservationLeaseMs);
}
