import {
  ApiException,
  HttpMethod,
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  RequestContext,
} from '@kubernetes/client-node';
import { fetch } from 'undici';

type Action = 'create' | 'delete' | 'patch' | 'read' | 'list' | 'replace';

/** Borrows client-node's discovery-backed URL building (kind → resource path), which it keeps protected. */
class ResourcePaths extends KubernetesObjectApi {
  path(spec: KubernetesObject, action: Action): Promise<string> {
    return this.specUriPath(spec, action);
  }
}

/** A request's body and query, for {@link RawApi.request}. */
export interface RawRequest {
  query?: Record<string, string | boolean | undefined>;
  body?: unknown;
  contentType?: string;
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

  constructor(kc: KubeConfig) {
    this.#kc = kc;
    this.#paths = kc.makeApiClient(ResourcePaths);
  }

  /** The URL path of an object (or, for `list`, of its collection), found through discovery. */
  path(spec: KubernetesObject, action: Action): Promise<string> {
    return this.#paths.path(structuredClone(spec), action);
  }

  /** Sends one request; resolves with the parsed JSON body, or throws {@link ApiException}. */
  async request<T>(method: HttpMethod, path: string, options: RawRequest = {}): Promise<T> {
    const server = this.#kc.getCurrentCluster()?.server;
    if (!server) throw new Error('the kubeconfig has no current cluster');
    const url = new URL(server.replace(/\/$/, '') + path);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const context = new RequestContext(url.toString(), method);
    await this.#kc.applySecurityAuthentication(context);
    const headers: Record<string, string> = { ...context.getHeaders(), Accept: 'application/json' };
    if (options.body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
    this.#dispatcher ??= context.getDispatcher();
    const dispatcher = this.#dispatcher;
    const response = await fetch(url, {
      method,
      headers,
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
      ...(dispatcher !== undefined && { dispatcher: dispatcher as never }),
    });
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      throw new ApiException(response.status, `HTTP ${response.status} ${method} ${url.pathname}`, parsed as never, Object.fromEntries(response.headers));
    }
    return parsed as T;
  }
}

export { HttpMethod };
