import { setTimeout as sleep } from 'node:timers/promises';
import { ApiException } from '@kubernetes/client-node';
import type { KubeClient } from '../kube/index.ts';
import { HttpMethod, serverMessage, statusCode } from '../kube/index.ts';
import { jsonLines } from '../kube/json-lines.ts';
import { type Backoff, backoffDelay } from '../util/backoff.ts';

/** The least an object needs for the informer to key and version it. */
export interface Keyed {
  metadata: { name?: string | undefined; namespace?: string | undefined; resourceVersion?: string | undefined };
}

/** One change the informer applied to its cache. */
export type InformerEvent<T> = { type: 'added'; object: T } | { type: 'updated'; object: T; old: T } | { type: 'deleted'; object: T };

/** Options for {@link Informer}. */
export interface InformerOptions<T> {
  /** The collection to list and watch, across all namespaces: `/api/v1/namespaces`, `/apis/spacekit.dev/v1alpha1/spaces`. */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Applied to every object before it is cached; the default drops managedFields, which are most of an object's size. */
  transform?: (object: T) => T;
  /** Objects per list page. */
  pageSize?: number;
  /** First and largest wait between failed attempts. */
  backoff?: Backoff;
  /**
   * The shortest time the server keeps one watch open, in seconds; each watch
   * asks for a time between this and twice this. Default 300.
   */
  watchTimeoutSeconds?: number;
  /** Reports trouble: every failed list or watch, with what happens next. Never silent. */
  onError?: (error: unknown, what: string) => void;
}

/** Counters a host can export, so that an informer in trouble shows up in metrics. */
export interface InformerStats {
  lists: number;
  watches: number;
  errors: number;
  /** Relists forced by an expired resourceVersion (410 Gone). */
  expired: number;
}

interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T & { code?: number; message?: string };
}

/** Drops the fields no reconcile reads: server-side apply bookkeeping and kubectl's copy of the last applied object. */
export function stripBookkeeping<T extends Keyed>(object: T): T {
  const { managedFields: _managed, ...metadata } = object.metadata as Record<string, unknown>;
  const annotations = metadata.annotations as Record<string, string> | undefined;
  if (annotations && 'kubectl.kubernetes.io/last-applied-configuration' in annotations) {
    const { 'kubectl.kubernetes.io/last-applied-configuration': _last, ...rest } = annotations;
    metadata.annotations = rest;
  }
  return { ...object, metadata } as T;
}

const keyOf = (o: Keyed) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

/**
 * Whether version `a` is newer than `b`. Resource versions are opaque by
 * contract, but every API server in use numbers them with etcd's revision;
 * when both are numbers they are compared as numbers, otherwise any
 * difference counts as newer.
 */
export function isNewer(a: string | undefined, b: string | undefined): boolean {
  if (a === b) return false;
  if (a && b && /^[0-9]+$/.test(a) && /^[0-9]+$/.test(b)) return BigInt(a) > BigInt(b);
  return true;
}

/**
 * A cache of one kind of object, kept current by list-then-watch, the way
 * client-go's reflector does it: a paged list, then a watch from the list's
 * resourceVersion with bookmarks; on a dropped watch it resumes from the last
 * version seen, on 410 Gone it lists again, and on any other failure it
 * backs off and retries, for as long as it runs. It never stops on its own
 * and never fails silently: every error reaches `onError`.
 *
 * Handlers run after the cache has changed, so a handler that reads the
 * cache sees the change.
 */
export class Informer<T extends Keyed> {
  readonly #client: KubeClient;
  readonly #options: InformerOptions<T>;
  readonly #objects = new Map<string, T>();
  readonly #byNamespace = new Map<string, Map<string, T>>();
  readonly #handlers: ((event: InformerEvent<T>) => void)[] = [];
  readonly stats: InformerStats = { lists: 0, watches: 0, errors: 0, expired: 0 };
  #resourceVersion = '';
  #synced = false;
  #resolveSynced!: () => void;
  /** Resolves once the first list is in the cache. */
  readonly synced: Promise<void>;

  constructor(client: KubeClient, options: InformerOptions<T>) {
    this.#client = client;
    this.#options = options;
    this.synced = new Promise((resolve) => {
      this.#resolveSynced = resolve;
    });
  }

  /** Registers a handler for every change from now on. */
  on(handler: (event: InformerEvent<T>) => void): void {
    this.#handlers.push(handler);
  }

  get hasSynced(): boolean {
    return this.#synced;
  }

  get size(): number {
    return this.#objects.size;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.#objects.get(`${namespace ?? ''}/${name}`);
  }

  /** Every cached object, or those in one namespace. */
  list(namespace?: string): T[] {
    if (namespace === undefined) return [...this.#objects.values()];
    return [...(this.#byNamespace.get(namespace)?.values() ?? [])];
  }

  /**
   * Puts an object this process just wrote into the cache at once, instead of
   * waiting for its watch event, so that the next reconcile does not act on
   * the state from before its own write. The watch event for the same
   * version then changes nothing; an older one does not overwrite it.
   */
  assume(object: T): void {
    if (!this.#synced) return;
    this.#upsert(this.#transform(object));
  }

  /** Lists and watches until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const backoff = this.#options.backoff ?? { initialMs: 500, maxMs: 30_000 };
    // Reset once a list succeeds (or none is needed): only lists failing in a row wait longer each time.
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (!this.#resourceVersion) await this.#list(signal);
        failures = 0;
        await this.#watch(signal);
      } catch (err) {
        if (signal.aborted) break;
        if (statusCode(err) === 410) {
          this.stats.expired++;
          this.#resourceVersion = '';
          continue;
        }
        this.stats.errors++;
        const delay = backoffDelay(backoff, ++failures);
        this.#options.onError?.(
          err,
          `${this.#resourceVersion ? 'watch' : 'list'} ${this.#options.path} failed (${serverMessage(err)}); retrying in ${delay} ms`,
        );
        await sleep(delay, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  #query(): Record<string, string | undefined> {
    return { labelSelector: this.#options.labelSelector, fieldSelector: this.#options.fieldSelector };
  }

  async #list(signal: AbortSignal): Promise<void> {
    this.stats.lists++;
    const fresh = new Map<string, T>();
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      if (signal.aborted) return;
      const page = await this.#client.raw.request<{ items: T[]; metadata: { resourceVersion?: string; continue?: string } }>(
        HttpMethod.GET,
        this.#options.path,
        {
          query: { ...this.#query(), limit: String(this.#options.pageSize ?? 500), continue: continueToken },
        },
      );
      for (const item of page.items) {
        const object = this.#transform(item);
        fresh.set(keyOf(object), object);
      }
      continueToken = page.metadata.continue || undefined;
      resourceVersion = page.metadata.resourceVersion ?? '';
    } while (continueToken);
    // Replace the cache as one step, telling handlers what changed while no watch was running.
    for (const [key, old] of this.#objects) if (!fresh.has(key)) this.#remove(old);
    for (const object of fresh.values()) this.#upsert(object);
    this.#resourceVersion = resourceVersion;
    if (!this.#synced) {
      this.#synced = true;
      this.#resolveSynced();
    }
  }

  async #watch(signal: AbortSignal): Promise<void> {
    this.stats.watches++;
    // The server ends a watch after timeoutSeconds; spreading them keeps many informers from reconnecting at once.
    const shortest = this.#options.watchTimeoutSeconds ?? 300;
    const timeoutSeconds = shortest + Math.floor(Math.random() * shortest);
    const inactivityMs = (timeoutSeconds + 60) * 1000;
    const abort = new AbortController();
    const stop = () => abort.abort();
    signal.addEventListener('abort', stop, { once: true });
    let idle = setTimeout(stop, inactivityMs);
    try {
      const response = await this.#client.raw.stream(
        this.#options.path,
        {
          ...this.#query(),
          watch: 'true',
          allowWatchBookmarks: 'true',
          resourceVersion: this.#resourceVersion,
          timeoutSeconds: String(timeoutSeconds),
        },
        abort.signal,
      );
      const body = response.body as unknown as AsyncIterable<Uint8Array>;
      const active = () => {
        clearTimeout(idle);
        idle = setTimeout(stop, inactivityMs);
      };
      for await (const event of jsonLines<WatchEvent<T>>(body, active)) this.#apply(event);
    } catch (err) {
      // An abort of our own (inactivity, or the caller stopping) just ends this watch.
      if (abort.signal.aborted) return;
      throw err;
    } finally {
      clearTimeout(idle);
      signal.removeEventListener('abort', stop);
    }
  }

  #apply(event: WatchEvent<T>): void {
    if (event.type === 'ERROR') {
      // The same exception a failed request throws, so that a 410 here and a 410 answer are handled alike.
      throw new ApiException(
        event.object.code ?? 500,
        `watch ${this.#options.path}: ${event.object.message ?? 'error'}`,
        event.object as never,
        {},
      );
    }
    const version = event.object.metadata?.resourceVersion;
    if (event.type === 'BOOKMARK') {
      if (version) this.#resourceVersion = version;
      return;
    }
    const object = this.#transform(event.object);
    if (event.type === 'DELETED') this.#remove(object);
    else this.#upsert(object);
    if (version) this.#resourceVersion = version;
  }

  #transform(object: T): T {
    return (this.#options.transform ?? stripBookkeeping)(object);
  }

  #upsert(object: T): void {
    const key = keyOf(object);
    const old = this.#objects.get(key);
    if (old && !isNewer(object.metadata.resourceVersion, old.metadata.resourceVersion)) return;
    this.#objects.set(key, object);
    const namespace = object.metadata.namespace ?? '';
    let inNamespace = this.#byNamespace.get(namespace);
    if (!inNamespace) {
      inNamespace = new Map();
      this.#byNamespace.set(namespace, inNamespace);
    }
    inNamespace.set(object.metadata.name ?? '', object);
    this.#emit(old ? { type: 'updated', object, old } : { type: 'added', object });
  }

  #remove(object: T): void {
    const key = keyOf(object);
    const old = this.#objects.get(key);
    if (!old) return;
    this.#objects.delete(key);
    const namespace = old.metadata.namespace ?? '';
    const inNamespace = this.#byNamespace.get(namespace);
    inNamespace?.delete(old.metadata.name ?? '');
    if (inNamespace?.size === 0) this.#byNamespace.delete(namespace);
    this.#emit({ type: 'deleted', object: old });
  }

  #emit(event: InformerEvent<T>): void {
    for (const handler of this.#handlers) {
      try {
        handler(event);
      } catch (err) {
        this.#options.onError?.(err, `a handler of ${this.#options.path} failed`);
      }
    }
  }
}
