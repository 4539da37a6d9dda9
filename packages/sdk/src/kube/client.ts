import { CoreV1Api, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { NotInstalledError } from '../errors.ts';
import { API_GROUP } from '../model/index.ts';
import { statusCode } from './errors.ts';
import { HttpMethod, RawApi, type RawRequest } from './raw.ts';

/** The field manager Spacekit uses for every server-side apply. */
export const FIELD_MANAGER = 'spacekit';

/** Any Kubernetes object as plain data; the client-node types are too strict for rendered objects. */
export interface AnyObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [field: string]: unknown;
}

/** Requests that changed the cluster, counted so that "no change, no write" can be proven. */
export interface WriteCounter {
  /** Every write this client made. */
  writes: number;
  /** The same writes by `Kind verb`, such as `Lease update` or `Space status`. */
  byKind: Record<string, number>;
}

/** A write verb, as counted: `status` is a replace of the status subresource. */
export type WriteVerb = 'apply' | 'create' | 'update' | 'status' | 'delete';

/**
 * The SDK's one door to the apiserver. It counts writes, so idempotency is
 * measurable, and remembers that Spacekit is installed once it has seen it.
 */
export class KubeClient {
  readonly kubeConfig: KubeConfig;
  readonly raw: RawApi;
  readonly core: CoreV1Api;
  readonly counter: WriteCounter = { writes: 0, byKind: {} };
  /** Called after each write is sent, such as by the operator's metrics. */
  onWrite: ((kind: string, verb: WriteVerb) => void) | undefined;
  /** Called with what the server answered to each successful write, such as by the operator's caches. */
  onWritten: ((object: AnyObject) => void) | undefined;
  #installed = false;

  constructor(kubeConfig: KubeConfig) {
    this.kubeConfig = kubeConfig;
    this.raw = new RawApi(kubeConfig);
    this.core = kubeConfig.makeApiClient(CoreV1Api);
  }

  /** Counts one write; every request that changes the cluster goes through here or {@link write}. */
  countWrite(kind: string, verb: WriteVerb): void {
    this.counter.writes++;
    const key = `${kind} ${verb}`;
    this.counter.byKind[key] = (this.counter.byKind[key] ?? 0) + 1;
    this.onWrite?.(kind, verb);
  }

  /** Sends a counted write request to `path`. */
  async write<T>(kind: string, verb: WriteVerb, method: HttpMethod, path: string, options: RawRequest = {}): Promise<T> {
    this.countWrite(kind, verb);
    const answer = await this.raw.request<T>(method, path, options);
    const object = answer as unknown as Partial<AnyObject> | undefined;
    // A delete answers with the object as it was, which must not look alive to a cache.
    if (this.onWritten && verb !== 'delete' && object?.kind && object.kind !== 'Status' && object.metadata?.name)
      this.onWritten(object as AnyObject);
    return answer;
  }

  /**
   * Server-side apply with Spacekit's field manager, taking ownership of
   * conflicting fields. With `dryRun` the server validates and admits the
   * object, through every admission plugin, without storing it; nothing is counted.
   */
  async apply<T extends AnyObject>(object: T, options: { dryRun?: boolean } = {}): Promise<T> {
    const path = await this.raw.path(object as KubernetesObject, 'patch');
    const request: RawRequest = {
      query: { fieldManager: FIELD_MANAGER, force: true, fieldValidation: 'Strict', ...(options.dryRun && { dryRun: 'All' }) },
      body: object,
      contentType: 'application/apply-patch+yaml',
    };
    if (options.dryRun) return this.raw.request<T>(HttpMethod.PATCH, path, request);
    return this.write<T>(object.kind, 'apply', HttpMethod.PATCH, path, request);
  }

  /** Creates an object; fails with 409 if it exists. */
  async create<T extends AnyObject>(object: T): Promise<T> {
    const path = await this.raw.path(object as KubernetesObject, 'create');
    return this.write<T>(object.kind, 'create', HttpMethod.POST, path, { body: object });
  }

  /** Replaces an object; fails with 409 if `object.metadata.resourceVersion` is stale. */
  async replace<T extends AnyObject>(object: T): Promise<T> {
    const path = await this.raw.path(object as KubernetesObject, 'replace');
    return this.write<T>(object.kind, 'update', HttpMethod.PUT, path, { body: object });
  }

  /** Deletes an object; an object already gone is not an error. */
  async delete(object: AnyObject, propagationPolicy: 'Background' | 'Foreground' = 'Background'): Promise<void> {
    // Without a name the path would be the collection's, and DELETE would empty it.
    if (!object.metadata.name) throw new Error(`refusing to delete a ${object.kind} without a name`);
    try {
      const path = await this.raw.path(object as KubernetesObject, 'delete');
      await this.write(object.kind, 'delete', HttpMethod.DELETE, path, { query: { propagationPolicy } });
    } catch (err) {
      if (statusCode(err) !== 404) throw err;
    }
  }

  /** Reads an object, or undefined when it does not exist. */
  async read<T extends AnyObject>(object: Pick<AnyObject, 'apiVersion' | 'kind' | 'metadata'>): Promise<T | undefined> {
    try {
      return await this.raw.request<T>(HttpMethod.GET, await this.raw.path(object as KubernetesObject, 'read'));
    } catch (err) {
      if (statusCode(err) === 404) return undefined;
      throw err;
    }
  }

  /** Lists objects of one kind by label selector; cluster-wide when namespace is undefined. Items carry apiVersion and kind. */
  async list<T extends AnyObject>(apiVersion: string, kind: string, namespace: string | undefined, labelSelector: string): Promise<T[]> {
    const spec = { apiVersion, kind, metadata: namespace ? { namespace } : {} } as KubernetesObject;
    const list = await this.raw.request<{ items: T[] }>(HttpMethod.GET, await this.raw.path(spec, 'list'), { query: { labelSelector } });
    return list.items.map((item) => ({ ...item, apiVersion, kind }));
  }

  /**
   * Throws {@link NotInstalledError} unless the spacekit.dev API group is
   * served. Uses discovery, which every authenticated user may read, so it
   * works for tenant users without cluster rights.
   */
  async ensureInstalled(): Promise<void> {
    if (this.#installed) return;
    const groups = await this.raw.request<{ groups?: { name: string }[] }>(HttpMethod.GET, '/apis');
    if (!(groups.groups ?? []).some((g) => g.name === API_GROUP)) throw new NotInstalledError();
    this.#installed = true;
  }

  /** Forgets the cached install check, after install() or uninstall(). */
  resetInstalledCheck(): void {
    this.#installed = false;
  }
}
