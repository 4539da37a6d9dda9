import type { ClusterReader } from '../cluster/index.ts';
import { Informer, type InformerOptions, stripBookkeeping } from '../informer/index.ts';
import { compactLevel, compactOwned, Interner } from '../informer/intern.ts';
import type { KubeClient } from '../kube/index.ts';
import { API_GROUP, API_VERSION, LABELS, MANAGER, type Organization, type Space, type Tenant, tenantNamespace } from '../model/index.ts';
import { type KubeObject, type Owner, ownerLabels } from '../render/index.ts';

/** The informers the operator runs: its three kinds, and everything it makes for them. */
export interface Watched {
  organizations: Informer<Organization>;
  tenants: Informer<Tenant>;
  spaces: Informer<Space>;
  namespaces: Informer<KubeObject>;
  /** Owned objects by kind name (ResourceQuota, LimitRange, …). */
  owned: Map<string, Informer<KubeObject>>;
}

/** Where to list and watch each owned kind across all namespaces. */
const OWNED_PATHS: Record<string, string> = {
  ResourceQuota: '/api/v1/resourcequotas',
  LimitRange: '/api/v1/limitranges',
  NetworkPolicy: '/apis/networking.k8s.io/v1/networkpolicies',
  Role: '/apis/rbac.authorization.k8s.io/v1/roles',
  RoleBinding: '/apis/rbac.authorization.k8s.io/v1/rolebindings',
  ClusterRole: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
  ClusterRoleBinding: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
};

/** Only objects a level owns: install's own cluster roles carry managed-by too, but no level. */
const OWNED_SELECTOR = `${LABELS.managedBy}=${MANAGER},${LABELS.level}`;

/**
 * Builds the operator's informers; `organizationSelector` shards the operator
 * by Organization labels. Cached objects share identical subtrees through one
 * interner, which keeps thousands of Spaces in little memory.
 */
export function createInformers(
  client: KubeClient,
  options: { organizationSelector?: string; watchTimeoutSeconds?: number; onError: InformerOptions<never>['onError'] },
): Watched {
  const onError = {
    ...(options.onError && { onError: options.onError }),
    ...(options.watchTimeoutSeconds !== undefined && { watchTimeoutSeconds: options.watchTimeoutSeconds }),
  };
  const interner = new Interner();
  const crd = (plural: string) => `/apis/${API_GROUP}/${API_VERSION}/${plural}`;
  // Lists leave apiVersion and kind out of their items; put them back so cached objects are whole.
  const owns = <T extends { apiVersion?: string; kind?: string }>(apiVersion: string, kind: string) => ({
    transform: (o: T) => ({ ...(compactOwned(o as never, interner) as object), apiVersion, kind }) as T,
  });
  const level = <T extends { apiVersion?: string; kind?: string }>(kind: string) => ({
    transform: (o: T) =>
      ({ ...(compactLevel(stripBookkeeping(o as never), interner) as object), apiVersion: `${API_GROUP}/${API_VERSION}`, kind }) as T,
  });
  const owned = new Map<string, Informer<KubeObject>>();
  for (const [kind, path] of Object.entries(OWNED_PATHS)) {
    const apiVersion = path.startsWith('/api/v1') ? 'v1' : path.split('/').slice(2, 4).join('/');
    owned.set(kind, new Informer<KubeObject>(client, { path, labelSelector: OWNED_SELECTOR, ...owns(apiVersion, kind), ...onError }));
  }
  return {
    organizations: new Informer<Organization>(client, {
      path: crd('organizations'),
      ...(options.organizationSelector && { labelSelector: options.organizationSelector }),
      ...level('Organization'),
      ...onError,
    }),
    tenants: new Informer<Tenant>(client, { path: crd('tenants'), ...level('Tenant'), ...onError }),
    spaces: new Informer<Space>(client, { path: crd('spaces'), ...level('Space'), ...onError }),
    namespaces: new Informer<KubeObject>(client, {
      path: '/api/v1/namespaces',
      labelSelector: OWNED_SELECTOR,
      ...owns('v1', 'Namespace'),
      ...onError,
    }),
    owned,
  };
}

/** Every informer, for starting and syncing them together. */
export function allInformers(w: Watched): Informer<never>[] {
  return [w.organizations, w.tenants, w.spaces, w.namespaces, ...w.owned.values()] as unknown as Informer<never>[];
}

function matches(object: KubeObject, owner: Owner): boolean {
  const labels = object.metadata.labels ?? {};
  const wanted = ownerLabels(owner);
  // Exactly the owner's labels: a Space's objects carry its tenant's labels too, but a tenant's objects no space label.
  return (
    Object.entries(wanted).every(([k, v]) => labels[k] === v) &&
    (owner.space !== undefined || labels[LABELS.space] === undefined) &&
    (owner.tenant !== undefined || labels[LABELS.tenant] === undefined)
  );
}

/**
 * Reads from the informers' caches, so that a reconcile with nothing to do
 * makes no request. Namespaces the cache does not hold are read from the API
 * server, because the cache only holds Spacekit's own, and a namespace of the
 * same name that someone else made must still be seen (and refused).
 */
export function cacheReader(w: Watched, live: Pick<ClusterReader, 'namespace'>): ClusterReader {
  return {
    organization: async (name) => w.organizations.get(undefined, name),
    tenant: async (organization, name) => w.tenants.get(organization, name),
    space: async (organization, tenant, name) => w.spaces.get(tenantNamespace(organization, tenant), name),
    tenants: async (organization) => w.tenants.list(organization),
    spaces: async (organization, tenant) => w.spaces.list(tenantNamespace(organization, tenant)),
    namespace: async (name) => w.namespaces.get(undefined, name) ?? (await live.namespace(name)),
    owned: async (kind, namespace, owner) => (w.owned.get(kind.kind)?.list(namespace ?? '') ?? []).filter((o) => matches(o, owner)),
  };
}
