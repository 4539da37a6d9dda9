import { API_GROUP, API_VERSION, GROUP_VERSION, type Organization, type Space, type Status, type Tenant } from '../model/index.ts';
import { HttpMethod } from '@kubernetes/client-node';
import { KINDS, type SpacekitKind } from '../crd/kinds.ts';
import { type KubeClient, statusCode } from '../kube/index.ts';

type KindName = SpacekitKind;
type ObjectOf<K extends KindName> = K extends 'Organization' ? Organization : K extends 'Tenant' ? Tenant : Space;

/** The finalizer that keeps a Spacekit object until everything it made is gone. */
export const CLEANUP_FINALIZER = 'spacekit.dev/cleanup';

/**
 * Typed access to one Spacekit kind, as plain JSON over the connection the
 * rest of the SDK uses.
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
    this.#namespaced = KINDS[kind].scope === 'Namespaced';
  }

  // A blank name turns an object URL into the collection URL: a read returns the list, a delete empties it.
  #named(name: string): string {
    if (!name) throw new Error(`refusing to address a ${this.kind} without a name`);
    return name;
  }

  #path(namespace: string | undefined, name?: string, subresource?: 'status'): string {
    const scope = this.#namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    const object = name === undefined ? '' : `/${encodeURIComponent(this.#named(name))}`;
    return `/apis/${API_GROUP}/${API_VERSION}${scope}/${this.#plural}${object}${subresource ? `/${subresource}` : ''}`;
  }

  async get(namespace: string | undefined, name: string): Promise<ObjectOf<K> | undefined> {
    try {
      return await this.#client.raw.request<ObjectOf<K>>(HttpMethod.GET, this.#path(namespace, name));
    } catch (err) {
      if (statusCode(err) === 404) return undefined;
      throw err;
    }
  }

  /** Lists in one namespace, or across all of them when `namespace` is undefined. */
  async list(namespace?: string, labelSelector?: string): Promise<ObjectOf<K>[]> {
    const result = await this.#client.raw.request<{ items: ObjectOf<K>[] }>(HttpMethod.GET, this.#path(namespace), {
      query: { labelSelector },
    });
    return result.items.map((item) => ({ ...item, apiVersion: GROUP_VERSION, kind: this.kind }) as ObjectOf<K>);
  }

  async create(object: ObjectOf<K>): Promise<ObjectOf<K>> {
    return this.#client.write<ObjectOf<K>>(this.kind, 'create', HttpMethod.POST, this.#path(object.metadata.namespace), { body: object });
  }

  /** Replaces spec and metadata; fails with 409 if `object.metadata.resourceVersion` is stale. */
  async replace(object: ObjectOf<K>): Promise<ObjectOf<K>> {
    return this.#client.write<ObjectOf<K>>(
      this.kind,
      'update',
      HttpMethod.PUT,
      this.#path(object.metadata.namespace, object.metadata.name),
      {
        body: object,
      },
    );
  }

  /** Replaces status; fails with 409 if `object.metadata.resourceVersion` is stale. */
  async replaceStatus(object: ObjectOf<K>, status: Status): Promise<ObjectOf<K>> {
    return this.#client.write<ObjectOf<K>>(
      this.kind,
      'status',
      HttpMethod.PUT,
      this.#path(object.metadata.namespace, object.metadata.name, 'status'),
      {
        body: { ...object, status },
      },
    );
  }

  async delete(namespace: string | undefined, name: string): Promise<void> {
    const path = this.#path(namespace, name);
    try {
      await this.#client.write(this.kind, 'delete', HttpMethod.DELETE, path);
    } catch (err) {
      if (statusCode(err) !== 404) throw err;
    }
  }
}

/**
 * Retries `attempt` while it fails with 409 Conflict. Each retry re-reads
 * state inside `attempt`. Bounded by time rather than count, because with N
 * writers racing on one object the last one needs N rounds.
 */
export async function onConflictRetry<T>(attempt: () => Promise<T>, budgetMs = 60_000): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let round = 1; ; round++) {
    try {
      return await attempt();
    } catch (err) {
      if (statusCode(err) !== 409 || Date.now() > deadline) throw err;
      // Jitter spreads racing writers out so that one of them wins each round.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(10 * round, 200)));
    }
  }
}
