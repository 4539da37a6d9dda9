import { organizationNamespace, spaceNamespace, tenantNamespace } from '../model/index.ts';
import type { Owner } from './objects.ts';

/** A Kubernetes kind, as the API addresses it. */
export interface OwnedKind {
  readonly apiVersion: string;
  readonly kind: string;
}

/** Every kind Spacekit renders for a level, besides the Namespace itself. */
export const OWNED_KINDS = {
  resourceQuota: { apiVersion: 'v1', kind: 'ResourceQuota' },
  limitRange: { apiVersion: 'v1', kind: 'LimitRange' },
  networkPolicy: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  role: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
  roleBinding: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
  clusterRole: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
  clusterRoleBinding: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding' },
} as const satisfies Record<string, OwnedKind>;

/** Where a level's objects may be, so that apply can find them and prune those no longer rendered. */
export interface OwnedScan {
  /** A namespace, or undefined for cluster-scoped kinds. */
  namespace: string | undefined;
  kinds: readonly OwnedKind[];
}

/**
 * The places a level's rendered objects live. Besides its own namespace, a
 * level puts its members' reader role in its parent's namespace (where its
 * own Spacekit object lives), and an organization puts its reader role at
 * cluster scope.
 */
export function levelScans(owner: Owner): OwnedScan[] {
  const { resourceQuota, limitRange, networkPolicy, role, roleBinding, clusterRole, clusterRoleBinding } = OWNED_KINDS;
  const o = owner.organization;
  if (owner.level === 'space') {
    const t = owner.tenant ?? '';
    return [
      { namespace: spaceNamespace(o, t, owner.space ?? ''), kinds: [resourceQuota, limitRange, networkPolicy, roleBinding] },
      { namespace: tenantNamespace(o, t), kinds: [role, roleBinding] },
    ];
  }
  if (owner.level === 'tenant') {
    return [
      { namespace: tenantNamespace(o, owner.tenant ?? ''), kinds: [resourceQuota, roleBinding] },
      { namespace: organizationNamespace(o), kinds: [role, roleBinding] },
    ];
  }
  return [
    { namespace: organizationNamespace(o), kinds: [resourceQuota, roleBinding] },
    { namespace: undefined, kinds: [clusterRole, clusterRoleBinding] },
  ];
}

/** The namespace a level keeps. */
export function levelNamespace(owner: Owner): string {
  if (owner.level === 'space') return spaceNamespace(owner.organization, owner.tenant ?? '', owner.space ?? '');
  if (owner.level === 'tenant') return tenantNamespace(owner.organization, owner.tenant ?? '');
  return organizationNamespace(owner.organization);
}
