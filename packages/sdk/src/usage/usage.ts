import { NotFoundError, SpacekitError, ValidationError } from '../errors.ts';
import { Informer } from '../informer/index.ts';
import { type KubeClient, statusCode, toSpacekitError } from '../kube/index.ts';
import { ClusterMeterStore, type MeteredReport, MeteredReportSchema, parseDuration, readReport, reportJson } from '../meter/index.ts';
import {
  API_GROUP,
  API_VERSION,
  GROUP_VERSION,
  type Organization,
  organizationNamespace,
  type Space,
  spaceNamespace,
  type Tenant,
  tenantNamespace,
} from '../model/index.ts';
import type { CrStore } from '../cluster/index.ts';
import { organizationNode, spaceNode, tenantNode, type TreeNode } from './tree.ts';

/** Which usage to look at: one Organization, one Tenant, or one Space. */
export type UsageScope = { organization: string; tenant?: string; space?: string };

/** Usage at one moment, as the Spacekit objects' status records it. */
export interface UsageSnapshot {
  /** When this snapshot was taken (ISO 8601). */
  at: string;
  scope: UsageScope;
  /** The scope's node with everything below it that the caller may read: budget, allocated and used per resource. */
  root: TreeNode;
}

/** Options for {@link Usage.report}. */
export interface ReportOptions {
  /** How far back, as a duration such as `15m`, `24h` or `7d`. Default `7d`. */
  since?: string;
  /** The level to total by. Default `space`. */
  by?: 'space' | 'tenant' | 'organization';
  /**
   * Whose usage: one Organization, Tenant or Space, read with the caller's
   * own rights (a Space's members read their Space, a tenant's admins their
   * tenant). Default: every Organization, which needs the right to list
   * SpaceUsage across the cluster (cluster admins).
   */
  scope?: UsageScope;
  /**
   * Read an operator's HTTP endpoint instead, such as `http://127.0.0.1:9090`
   * (an operator that meters into a directory, run by hand or port-forwarded).
   */
  operatorUrl?: string;
}

/** Options for {@link Usage.watch}. */
export interface WatchOptions {
  /** Stops the watch; the iteration then ends. Breaking out of `for await` stops it too. */
  signal?: AbortSignal;
  /** Changes closer together than this are merged into one snapshot. Default 100 ms. */
  debounceMs?: number;
}

type Stores = { organizations: CrStore<'Organization'>; tenants: CrStore<'Tenant'>; spaces: CrStore<'Space'> };

function checkScope(scope: UsageScope): void {
  if (scope.space !== undefined && scope.tenant === undefined) {
    throw new ValidationError('usage scope', [
      { path: 'tenant', message: 'a Space is addressed with its tenant: { organization, tenant, space }' },
    ]);
  }
  // Checks the names before any request, as every SDK call does.
  if (scope.space !== undefined) spaceNamespace(scope.organization, scope.tenant ?? '', scope.space);
  else if (scope.tenant !== undefined) tenantNamespace(scope.organization, scope.tenant);
  else organizationNamespace(scope.organization);
}

function label(scope: UsageScope): string {
  if (scope.space !== undefined) return `space ${scope.organization}/${scope.tenant}/${scope.space}`;
  if (scope.tenant !== undefined) return `tenant ${scope.organization}/${scope.tenant}`;
  return `organization ${scope.organization}`;
}

/**
 * Live usage at every level, read from the Spacekit objects' status (which
 * the operator keeps current from the Spaces' ResourceQuotas), so that a
 * tenant admin who may not list namespaces still sees it. Obtain it as
 * `kit.usage`.
 *
 * @example
 * ```ts
 * for await (const snapshot of kit.usage.watch({ organization: 'acme', tenant: 'payments' })) {
 *   console.log(snapshot.root.used['requests.cpu'], 'of', snapshot.root.budget['requests.cpu']);
 * }
 * ```
 */
export class Usage {
  readonly #client: KubeClient;
  readonly #stores: Stores;

  constructor(client: KubeClient, stores: Stores) {
    this.#client = client;
    this.#stores = stores;
  }

  /**
   * The usage of one scope now.
   *
   * @throws {NotFoundError} when the scope does not exist. {@link ForbiddenError} when the caller may not read it.
   */
  async snapshot(scope: UsageScope): Promise<UsageSnapshot> {
    checkScope(scope);
    await this.#client.ensureInstalled();
    try {
      const { organizations, tenants, spaces } = this.#stores;
      const o = scope.organization;
      let root: TreeNode | undefined;
      if (scope.space !== undefined && scope.tenant !== undefined) {
        const space = await spaces.get(tenantNamespace(o, scope.tenant), scope.space);
        root = space && spaceNode(space);
      } else if (scope.tenant !== undefined) {
        const [tenant, list] = await Promise.all([
          tenants.get(organizationNamespace(o), scope.tenant),
          spaces.list(tenantNamespace(o, scope.tenant)),
        ]);
        root = tenant && tenantNode(tenant, list);
      } else {
        const org = await organizations.get(undefined, o);
        const list = org ? await tenants.list(organizationNamespace(o)) : [];
        const below = (
          await Promise.all(list.map((t) => spaces.list(tenantNamespace(o, t.metadata.name)).catch(() => [] as Space[])))
        ).flat();
        root = org && organizationNode(org, list, below);
      }
      if (!root) throw new NotFoundError(`${label(scope)} does not exist`);
      return { at: new Date().toISOString(), scope, root };
    } catch (err) {
      throw toSpacekitError(err, `read the usage of ${label(scope)}`);
    }
  }

  /**
   * Metered resource-minutes over a period, as the operator's meter wrote
   * them into the cluster (SpaceUsage and MeterCoverage objects, ADR 0017),
   * read with the caller's own rights, with the gaps when nobody metered.
   *
   * @throws {ValidationError} for a bad `since` or scope; {@link ForbiddenError} when the caller may not read the scope's usage;
   *   {@link SpacekitError} when an `operatorUrl` does not answer.
   */
  async report(options: ReportOptions = {}): Promise<MeteredReport> {
    const since = options.since ?? '7d';
    const sinceMs = parseDuration(since, 'since');
    const by = options.by ?? 'space';
    if (options.scope) checkScope(options.scope);
    if (options.operatorUrl) return this.#operatorReport(options.operatorUrl, since, by);
    await this.#client.ensureInstalled();
    const to = Date.now();
    try {
      const report = await readReport(new ClusterMeterStore(this.#client, { ...(options.scope && { scope: options.scope }) }), {
        from: to - sinceMs,
        to,
        by,
      });
      return reportJson(report);
    } catch (err) {
      if (err instanceof SpacekitError) throw err;
      throw toSpacekitError(err, `read the metered usage of ${options.scope ? label(options.scope) : 'the cluster'}`);
    }
  }

  async #operatorReport(operatorUrl: string, since: string, by: string): Promise<MeteredReport> {
    const query = `since=${encodeURIComponent(since)}&by=${by}&format=json`;
    let body: unknown;
    try {
      const response = await fetch(new URL(`/usage/report?${query}`, operatorUrl));
      if (!response.ok)
        throw new SpacekitError('CLUSTER', `the operator at ${operatorUrl} answered ${response.status}: ${(await response.text()).trim()}`);
      body = await response.json();
    } catch (err) {
      if (err instanceof SpacekitError) throw err;
      throw new SpacekitError('CLUSTER', `cannot reach the operator at ${operatorUrl}: ${(err as Error).message}`);
    }
    const parsed = MeteredReportSchema.safeParse(body);
    if (!parsed.success)
      throw new SpacekitError(
        'CLUSTER',
        `the operator's report is not in the expected shape: ${parsed.error.issues[0]?.message ?? 'unknown'}; are the operator and the SDK the same version?`,
      );
    return parsed.data;
  }

  /**
   * Snapshots of one scope as its usage changes: the first at once, then one
   * whenever a budget, an allocation or a Space's usage changes. Driven by
   * watches on the Spacekit objects (no polling); it ends when the scope is
   * deleted, when `signal` aborts, or when the loop breaks.
   *
   * @throws {NotFoundError} when the scope does not exist; {@link ForbiddenError} when the caller may not read it.
   */
  async *watch(scope: UsageScope, options: WatchOptions = {}): AsyncGenerator<UsageSnapshot, void, undefined> {
    checkScope(scope);
    await this.#client.ensureInstalled();
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const feed = new ScopeFeed(this.#client, scope, stop.signal, options.debounceMs ?? 100);
    try {
      let last = '';
      for (;;) {
        const root = await feed.next();
        if (root === undefined) return;
        const key = JSON.stringify(root);
        if (key === last) continue;
        last = key;
        yield { at: new Date().toISOString(), scope, root };
      }
    } finally {
      stop.abort();
      options.signal?.removeEventListener('abort', onAbort);
    }
  }
}

const crdPath = (plural: string, namespace?: string) =>
  `/apis/${API_GROUP}/${API_VERSION}${namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${plural}`;

/**
 * The informers behind one watch, narrowed to what the scope needs and the
 * caller may read: a single object by name (which RBAC can grant through
 * resourceNames) and the children in its own namespace. An organization's
 * Spaces are watched per tenant, following its tenants as they come and go.
 */
class ScopeFeed {
  readonly #client: KubeClient;
  readonly #scope: UsageScope;
  readonly #signal: AbortSignal;
  readonly #debounceMs: number;
  #root: Informer<Organization | Tenant | Space> | undefined;
  #tenants: Informer<Tenant> | undefined;
  readonly #spaces = new Map<string, Informer<Space>>();
  #failure: unknown;
  #changed = true;
  #seenRoot = false;
  readonly #waiters = new Set<() => void>();
  readonly #ready: Promise<void>;

  constructor(client: KubeClient, scope: UsageScope, signal: AbortSignal, debounceMs: number) {
    this.#client = client;
    this.#scope = scope;
    this.#signal = signal;
    this.#debounceMs = debounceMs;
    signal.addEventListener('abort', () => this.#poke(), { once: true });
    this.#ready = this.#start();
  }

  async #start(): Promise<void> {
    const { organization: o, tenant: t, space: s } = this.#scope;
    const byName = (name: string) => `metadata.name=${name}`;
    const kind = (k: string) => ({ transform: <T>(x: T): T => ({ ...(x as object), apiVersion: GROUP_VERSION, kind: k }) as T });
    if (s !== undefined && t !== undefined) {
      this.#root = this.#informer<Space>({
        path: crdPath('spaces', tenantNamespace(o, t)),
        fieldSelector: byName(s),
        ...kind('Space'),
      }) as unknown as Informer<Organization | Tenant | Space>;
    } else if (t !== undefined) {
      this.#root = this.#informer<Tenant>({
        path: crdPath('tenants', organizationNamespace(o)),
        fieldSelector: byName(t),
        ...kind('Tenant'),
      }) as unknown as Informer<Organization | Tenant | Space>;
      this.#spaces.set(t, this.#informer<Space>({ path: crdPath('spaces', tenantNamespace(o, t)), ...kind('Space') }));
    } else {
      this.#root = this.#informer<Organization>({
        path: crdPath('organizations'),
        fieldSelector: byName(o),
        ...kind('Organization'),
      }) as unknown as Informer<Organization | Tenant | Space>;
      const tenants = this.#informer<Tenant>({ path: crdPath('tenants', organizationNamespace(o)), ...kind('Tenant') });
      this.#tenants = tenants;
      tenants.on((e) => {
        const name = e.object.metadata.name;
        if (e.type === 'added' && !this.#spaces.has(name)) {
          this.#spaces.set(name, this.#informer<Space>({ path: crdPath('spaces', tenantNamespace(o, name)), ...kind('Space') }));
        }
      });
    }
    await this.#settled([this.#root.synced, this.#tenants?.synced]);
    // The tenants' first list has created an informer for each of their Spaces; the first snapshot waits for them too.
    await this.#settled([...this.#spaces.values()].map((i) => i.synced));
  }

  /** Resolves when all of `promises` have, or the watch is aborted or has failed, whichever comes first. */
  async #settled(promises: (Promise<void> | undefined)[]): Promise<void> {
    const all = Promise.all(promises);
    while (!this.#signal.aborted && this.#failure === undefined) {
      const woken = new Promise<'woken'>((resolve) => this.#waiters.add(() => resolve('woken')));
      if ((await Promise.race([all.then(() => 'done' as const), woken])) === 'done') return;
    }
  }

  #informer<T extends Organization | Tenant | Space>(options: {
    path: string;
    fieldSelector?: string;
    transform: (x: T) => T;
  }): Informer<T> {
    const informer = new Informer<T>(this.#client, {
      ...options,
      backoff: { initialMs: 250, maxMs: 10_000 },
      onError: (err) => {
        // No right to read: no retry will fix that; tell the caller.
        const code = statusCode(err);
        if (code === 403 || code === 401) {
          this.#failure = toSpacekitError(err, `watch the usage of ${label(this.#scope)}`);
          this.#poke();
        }
      },
    });
    informer.on(() => {
      this.#changed = true;
      this.#poke();
    });
    void informer.run(this.#signal);
    return informer;
  }

  #poke(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  /** The next tree once something changed, or undefined when the watch is over. */
  async next(): Promise<TreeNode | undefined> {
    await this.#ready;
    for (;;) {
      if (this.#failure)
        throw this.#failure instanceof SpacekitError ? this.#failure : toSpacekitError(this.#failure, `watch ${label(this.#scope)}`);
      if (this.#signal.aborted) return undefined;
      if (this.#changed) {
        // Let a burst of changes settle into one snapshot.
        await new Promise((r) => setTimeout(r, this.#debounceMs));
        this.#changed = false;
        const tree = this.#tree();
        return tree === 'gone' ? undefined : tree;
      }
      await new Promise<void>((resolve) => this.#waiters.add(resolve));
    }
  }

  #tree(): TreeNode | 'gone' {
    const root = this.#root?.list()[0];
    if (!root) {
      if (!this.#seenRoot) throw new NotFoundError(`${label(this.#scope)} does not exist`);
      return 'gone';
    }
    this.#seenRoot = true;
    if (root.kind === 'Space') return spaceNode(root);
    if (root.kind === 'Tenant') return tenantNode(root, this.#spaces.get(this.#scope.tenant ?? '')?.list() ?? []);
    const tenants = this.#tenants?.list() ?? [];
    return organizationNode(
      root,
      tenants,
      tenants.flatMap((tenant) => this.#spaces.get(tenant.metadata.name)?.list() ?? []),
    );
  }
}
