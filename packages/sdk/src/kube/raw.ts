import {
  ApiException,
  HttpMethod,
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  RequestContext,
} from '@kubernetes/client-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Dispatcher, fetch, request as undiciRequest } from 'undici';
import { knownPath } from './paths.ts';

/** How many times a request answered with 429 is sent again. */
const MAX_429_RETRIES = 5;

type Action = 'create' | 'delete' | 'patch' | 'read' | 'list' | 'replace';

/** Borrows client-node's discovery-backed URL building (kind → resource path), which it keeps protected. */
class ResourcePaths extends KubernetesObjectApi {
  path(spec: KubernetesObject, action: Action): Promise<string> {
    return this.specUriPath(spec, action);
  }
}

/** One request as sent and answered, for counting and profiling. */
export interface RequestRecord {
  method: string;
  /** The path without the query, such as `/api/v1/namespaces/x/resourcequotas`. */
  path: string;
  status: number;
  /** When it was sent, on the `performance.now()` clock. */
  startedAt: number;
  /** From sending the request to having its whole answer (for a watch: its headers). */
  durationMs: number;
}

/** A request's body and query, for {@link RawApi.request}. */
export interface RawRequest {
  query?: Record<string, string | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  /** Sends the request as this user and groups (Impersonate-User, Impersonate-Group); the caller needs the right to impersonate. */
  impersonate?: { user: string; groups?: readonly string[] };
}

/**
 * Plain-JSON access to any Kubernetes resource. client-node's generic object
 * API converts objects through its generated model classes, which rename
 * fields such as LimitRange `default` and NetworkPolicy `from` and drop them
 * from plain objects on the way out; Spacekit's rendered objects must reach
 * the server exactly as rendered, and come back exactly as stored.
 */
export class RawApi {
  readonly #kc: KubeConfig;
  readonly #paths: ResourcePaths;
  // client-node builds a new connection pool for every request; reusing the first one keeps
  // connections to the apiserver alive instead of paying a TLS handshake per call.
  #dispatcher: unknown;
  /** Headers of static credentials, for the cluster and user they were made for (see authHeaders). */
  #auth: { cluster: unknown; user: unknown; headers: Readonly<Record<string, string>> } | undefined;
  /** Every request this client sent, reads included; benchmarks count and time them. */
  readonly requests = { count: 0 };
  /** Called once per answered request. */
  onRequest: ((record: RequestRecord) => void) | undefined;

  constructor(kc: KubeConfig) {
    this.#kc = kc;
    this.#paths = kc.makeApiClient(ResourcePaths);
  }

  /** The URL path of an object (or, for `list` and `create`, of its collection); discovery only for kinds Spacekit does not know. */
  async path(spec: KubernetesObject, action: Action): Promise<string> {
    return knownPath(spec, action) ?? this.#paths.path(structuredClone(spec), action);
  }

  /**
   * Sends one request; resolves with the parsed JSON body, or throws
   * {@link ApiException}. A 429 (the API server's priority and fairness
   * shedding load, or a resource whose storage is re-initialising right after
   * its CRD changed) is retried after the server's Retry-After, a few times,
   * as client-go does.
   */
  async request<T>(method: HttpMethod, path: string, options: RawRequest = {}): Promise<T> {
    const started = performance.now();
    let response = await this.#call(method, path, options);
    for (let attempt = 1; response.statusCode === 429 && attempt <= MAX_429_RETRIES; attempt++) {
      await response.body.dump();
      const seconds = Number(response.headers['retry-after']);
      await sleep(Math.min(Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000, 10_000) * (0.5 + Math.random() / 2));
      response = await this.#call(method, path, options);
    }
    const text = await response.body.text();
    this.#record(method, path, response.statusCode, started);
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (response.statusCode < 200 || response.statusCode > 299) {
      throw new ApiException(
        response.statusCode,
        `HTTP ${response.statusCode} ${method} ${path.split('?')[0]}`,
        parsed as never,
        headerRecord(response.headers),
      );
    }
    return parsed as T;
  }

  /**
   * Opens a streaming GET (a watch) and resolves with the response once its
   * headers arrive; the caller reads the body. Throws {@link ApiException}
   * for an error status, with the server's Status as the body.
   */
  async stream(path: string, query: RawRequest['query'], signal: AbortSignal): Promise<Response> {
    const started = performance.now();
    const response = await this.#send(HttpMethod.GET, path, { ...(query && { query }) }, signal);
    this.#record('WATCH', path, response.status, started);
    if (!response.ok) {
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // A body that is not JSON is kept as text for the message.
      }
      throw new ApiException(response.status, `HTTP ${response.status} GET ${path}`, parsed as never, Object.fromEntries(response.headers));
    }
    return response as unknown as Response;
  }

  /**
   * The authentication headers for a request. client-node's
   * applySecurityAuthentication decodes (or re-reads from disk) the
   * certificates and builds a new undici Agent on every call, thousands of
   * them in a bulk run; static credentials (certificates, a token, basic
   * auth) give the same headers every time, so they are worked out once per
   * user. Credentials that change (an exec plugin, an auth provider such as
   * the in-cluster token file) are applied to every request, as before.
   */
  async #authHeaders(url: URL, method: HttpMethod): Promise<Record<string, string>> {
    const cluster = this.#kc.getCurrentCluster();
    const user = this.#kc.getCurrentUser();
    const known = this.#auth;
    if (known && known.cluster === cluster && known.user === user) return known.headers;
    const context = new RequestContext(url.toString(), method);
    await this.#kc.applySecurityAuthentication(context);
    this.#dispatcher ??= context.getDispatcher();
    const headers = { ...context.getHeaders() };
    if (user && !user.exec && !user.authProvider) this.#auth = { cluster, user, headers };
    return headers;
  }

  #record(method: string, path: string, status: number, started: number): void {
    this.requests.count++;
    this.onRequest?.({ method, path: path.split('?')[0] ?? path, status, startedAt: started, durationMs: performance.now() - started });
  }

  async #prepare(method: HttpMethod, path: string, options: RawRequest): Promise<{ url: URL; headers: [string, string][] }> {
    const server = this.#kc.getCurrentCluster()?.server;
    if (!server) throw new Error('the kubeconfig has no current cluster');
    const url = new URL(server.replace(/\/$/, '') + path);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    // Pairs, not a record: Impersonate-Group repeats once per group, and a comma-joined value would be one group's name.
    const headers: [string, string][] = [...Object.entries(await this.#authHeaders(url, method)), ['Accept', 'application/json']];
    if (options.body !== undefined) headers.push(['Content-Type', options.contentType ?? 'application/json']);
    if (options.impersonate) {
      headers.push(['Impersonate-User', options.impersonate.user]);
      for (const group of options.impersonate.groups ?? []) headers.push(['Impersonate-Group', group]);
    }
    return { url, headers };
  }

  /**
   * A request whose answer is read whole, through undici's `request`: the
   * WHATWG fetch machinery (web streams, a Request and a Response per call)
   * allocated about a megabyte per Space created, which is what filled the
   * young generation of an embedding process (issue 16).
   */
  async #call(method: HttpMethod, path: string, options: RawRequest): Promise<Dispatcher.ResponseData> {
    const { url, headers } = await this.#prepare(method, path, options);
    const dispatcher = this.#dispatcher as Dispatcher | undefined;
    try {
      return await undiciRequest(url, {
        method,
        headers: headers.flat(),
        ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
        ...(dispatcher !== undefined && { dispatcher }),
      });
    } catch (err) {
      throw unreachable(err, method, url);
    }
  }

  /** A streaming request (a watch), through fetch: its callers read the body as a web stream. */
  async #send(method: HttpMethod, path: string, options: RawRequest, signal?: AbortSignal) {
    const { url, headers } = await this.#prepare(method, path, options);
    const dispatcher = this.#dispatcher;
    try {
      return await fetch(url, {
        method,
        headers,
        ...(dispatcher !== undefined && { dispatcher: dispatcher as never }),
        ...(signal && { signal }),
      });
    } catch (err) {
      throw signal?.aborted ? err : unreachable(err, method, url);
    }
  }
}

/**
 * A request that got no answer (connection refused, reset, TLS failure), as an error that names the
 * request: the transport's own message says only which address refused. The transport's code
 * (`ECONNREFUSED`, …) stays readable on the error and its cause.
 */
function unreachable(err: unknown, method: string, url: URL): Error {
  const cause = err instanceof Error && err.message === 'fetch failed' && err.cause instanceof Error ? err.cause : err;
  const message = cause instanceof Error ? cause.message : String(cause);
  const wrapped = new Error(`${method} ${url.origin}${url.pathname}: ${message}`, { cause });
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') Object.assign(wrapped, { code });
  return wrapped;
}

/** undici's headers as one string per name (repeated headers comma-joined, as fetch's Headers gives them). */
function headerRecord(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

export { HttpMethod };
