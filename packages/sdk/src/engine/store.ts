import { API_GROUP, API_VERSION, GROUP_VERSION, type Organization, type Space, type Status, type Tenant } from '../model/index.ts';
import { type KubeClient, statusCode } from '../kube/index.ts';

/** Spacekit's three kinds, as the apiserver serves them. */
export const KINDS = {
  Organization: { plural: 'organizations', namespaced: false },
  Tenant: { plural: 'tenants', namespaced: true },
  Space: { plural: 'spaces', namespaced: true },
} as const;
type KindName = keyof typeof KINDS;
type ObjectOf<K extends KindName> = K extends 'Organization' ? Organization : K extends 'Tenant' ? Tenant : Space;

/** The finalizer that keeps a Spacekit object until everything it made is gone. */
export const CLEANUP_FINALIZER = 'spacekit.dev/cleanup';

/**
 * Typed access to one Spacekit kind through the custom objects API, which
 * returns plain JSON (no Date conversion), so objects round-trip unchanged.
 */
export class CrStore<K extends KindName> {
  readonly kind: K;
  readonly #client: KubeClient;
  readonly #plural: string;
  readonly #namespaced: boolean;

  constructor(client: KubeClient, kind: K) {
    this.kind = kind;
    this.#client = client;
    this.#plural = KINDS[kind].plural;
    this.#namespaced = KINDS[kind].namespaced;
  }

  // A blank name turns an object URL into the collection URL: a read returns the list, a delete empties it.
  #named(name: string): string {
    if (!name) throw new Error(`refusing to address a ${this.kind} without a name`);
    return name;
  }

  #base(namespace: string | undefined) {
    return this.#namespaced
      ? { group: API_GROUP, version: API_VERSION, plural: this.#plural, namespace: namespace ?? '' }
      : { group: API_GROUP, version: API_VERSION, plural: this.#plural };
  }

  async get(namespace: string | undefined, name: string): Promise<ObjectOf<K> | undefined> {
    this.#named(name);
    const api = this.#client.custom;
    try {
      return (this.#namespaced
        ? await api.getNamespacedCustomObject({ ...this.#base(namespace), namespace: namespace ?? '', name })
        : await api.getClusterCustomObject({ ...this.#base(undefined), name })) as ObjectOf<K>;
    } catch (err) {
      if (statusCode(err) === 404) return undefined;
      throw err;
    }
  }

  async list(namespace?: string, labelSelector?: string): Promise<ObjectOf<K>[]> {
    const api = this.#client.custom;
    const query = labelSelector ? { labelSelector } : {};
    const result = (
      this.#namespaced && namespace
        ? await api.listNamespacedCustomObject({ ...this.#base(namespace), namespace, ...query })
        : await api.listClusterCustomObject({ group: API_GROUP, version: API_VERSION, plural: this.#plural, ...query })
    ) as { items: ObjectOf<K>[] };
    return result.items.map((item) => ({ ...item, apiVersion: GROUP_VERSION, kind: this.kind }) as ObjectOf<K>);
  }

  async create(object: ObjectOf<K>): Promise<ObjectOf<K>> {
    this.#client.counter.writes++;
    const api = this.#client.custom;
    const namespace = object.metadata.namespace;
    return (this.#namespaced
      ? await api.createNamespacedCustomObject({ ...this.#base(namespace), namespace: namespace ?? '', body: object })
      : await api.createClusterCustomObject({ ...this.#base(undefined), body: object })) as ObjectOf<K>;
  }

  /** Replaces spec and metadata; fails with 409 if `object.metadata.resourceVersion` is stale. */
  async replace(object: ObjectOf<K>): Promise<ObjectOf<K>> {
    this.#client.counter.writes++;
    const api = this.#client.custom;
    const { name, namespace } = object.metadata;
    return (this.#namespaced
      ? await api.replaceNamespacedCustomObject({ ...this.#base(namespace), namespace: namespace ?? '', name, body: object })
      : await api.replaceClusterCustomObject({ ...this.#base(undefined), name, body: object })) as ObjectOf<K>;
  }

  /** Replaces status; fails with 409 if `object.metadata.resourceVersion` is stale. */
  async replaceStatus(object: ObjectOf<K>, status: Status): Promise<ObjectOf<K>> {
    this.#client.counter.writes++;
    const api = this.#client.custom;
    const { name, namespace } = object.metadata;
    const body = { ...object, status };
    return (this.#namespaced
      ? await api.replaceNamespacedCustomObjectStatus({ ...this.#base(namespace), namespace: namespace ?? '', name, body })
      : await api.replaceClusterCustomObjectStatus({ ...this.#base(undefined), name, body })) as ObjectOf<K>;
  }

  async delete(namespace: string | undefined, name: string): Promise<void> {
    this.#named(name);
    this.#client.counter.writes++;
    const api = this.#client.custom;
    try {
      if (this.#namespaced) await api.deleteNamespacedCustomObject({ ...this.#base(namespace), namespace: namespace ?? '', name });
      else await api.deleteClusterCustomObject({ ...this.#base(undefined), name });
    } catch (err) {
      if (statusCode(err) !== 404) throw err;
    }
  }
}

/** Retries `attempt` while it fails with 409 Conflict, re-reading state each time. */
export async function onConflictRetry<T>(attempt: () => Promise<T>, tries = 20): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (statusCode(err) !== 409 || i >= tries) throw err;
      // Jitter spreads racing writers out so that one wins each round.
      await new Promise((r) => setTimeout(r, Math.random() * 20 * i));
    }
  }
}
