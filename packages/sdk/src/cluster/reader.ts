import type { KubeClient } from '../kube/index.ts';
import { type Organization, organizationNamespace, type Space, type Tenant, tenantNamespace } from '../model/index.ts';
import { type KubeObject, type Owner, ownerSelector } from '../render/index.ts';
import type { CrStore } from './store.ts';

/** A Kubernetes kind, as the API addresses it. */
export interface KindRef {
  readonly apiVersion: string;
  readonly kind: string;
}

/**
 * What reconcile reads about the cluster. The embedded SDK reads from the API
 * server; the operator reads from its informers' caches, so that a reconcile
 * with nothing to do makes no request at all.
 */
export interface ClusterReader {
  organization(name: string): Promise<Organization | undefined>;
  tenant(organization: string, name: string): Promise<Tenant | undefined>;
  space(organization: string, tenant: string, name: string): Promise<Space | undefined>;
  /** The Tenant objects in an organization's namespace. */
  tenants(organization: string): Promise<Tenant[]>;
  /** The Space objects in a tenant's namespace. */
  spaces(organization: string, tenant: string): Promise<Space[]>;
  namespace(name: string): Promise<KubeObject | undefined>;
  /** Objects of one kind that carry exactly `owner`'s labels, in one namespace, or cluster-scoped ones when `namespace` is undefined. */
  owned(kind: KindRef, namespace: string | undefined, owner: Owner): Promise<KubeObject[]>;
}

/** Reads straight from the API server: always current, one request per read. */
export function apiReader(
  client: KubeClient,
  stores: { organizations: CrStore<'Organization'>; tenants: CrStore<'Tenant'>; spaces: CrStore<'Space'> },
): ClusterReader {
  return {
    organization: (name) => stores.organizations.get(undefined, name),
    tenant: (organization, name) => stores.tenants.get(organizationNamespace(organization), name),
    space: (organization, tenant, name) => stores.spaces.get(tenantNamespace(organization, tenant), name),
    tenants: (organization) => stores.tenants.list(organizationNamespace(organization)),
    spaces: (organization, tenant) => stores.spaces.list(tenantNamespace(organization, tenant)),
    namespace: (name) => client.read<KubeObject>({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
    // The selector names the level, so a tenant's objects never match a Space's, though a Space carries its tenant's labels too.
    owned: (kind, namespace, owner) => client.list<KubeObject>(kind.apiVersion, kind.kind, namespace, ownerSelector(owner)),
  };
}
