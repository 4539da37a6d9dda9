import { ApisApi, CoreV1Api, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { NotInstalledError } from '../errors.ts';
import { API_GROUP } from '../model/index.ts';
import { statusCode } from './errors.ts';
import { HttpMethod, RawApi } from './raw.ts';

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
  writes: number;
}

/**
 * The SDK's one door to the apiserver. It counts writes, so idempotency is
 * measurable, and remembers that Spacekit is installed once it has seen it.
 */
export class KubeClient {
  readonly kubeConfig: KubeConfig;
  readonly raw: RawApi;
  readonly core: CoreV1Api;
  readonly counter: WriteCounter = { writes: 0 };
  #installed = false;

  constructor(kubeConfig: KubeConfig) {
    this.kubeConfig = kubeConfig;
    this.raw = new RawApi(kubeConfig);
    this.core = kubeConfig.makeApiClient(CoreV1Api);
  }

  /** Server-side apply with Spacekit's field manager, taking ownership of conflicting fields. */
  async apply<T extends AnyObject>(object: T): Promise<T> {
    this.counter.writes++;
    const path = await this.raw.path(object as KubernetesObject, 'patch');
    return this.raw.request<T>(HttpMethod.PATCH, path, {
      query: { fieldManager: FIELD_MANAGER, force: true, fieldValidation: 'Strict' },
      body: object,
      contentType: 'application/apply-patch+yaml',
    });
  }

  /** Deletes an object; an object already gone is not an error. */
  async delete(object: AnyObject, propagationPolicy: 'Background' | 'Foreground' = 'Background'): Promise<void> {
    // Without a name the path would be the collection's, and DELETE would empty it.
    if (!object.metadata.name) throw new Error(`refusing to delete a ${object.kind} without a name`);
    this.counter.writes++;
    try {
      const path = await this.raw.path(object as KubernetesObject, 'delete');
      await this.raw.request(HttpMethod.DELETE, path, { query: { propagationPolicy } });
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
    const groups = await this.kubeConfig.makeApiClient(ApisApi).getAPIVersions();
    if (!groups.groups.some((g) => g.name === API_GROUP)) throw new NotInstalledError();
    this.#installed = true;
  }

  /** Forgets the cached install check, after install() or uninstall(). */
  resetInstalledCheck(): void {
    this.#installed = false;
  }
}
