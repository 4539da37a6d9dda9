import {
  API_GROUP,
  GROUP_VERSION,
  type Organization,
  organizationNamespace,
  type Space,
  type Subject,
  type Tenant,
  tenantNamespace,
} from '../model/index.ts';
import { type KubeObject, type Owner, type OwnerReference, ownerLabels } from './objects.ts';

/**
 * Names of the objects that let a level's members read their own Spacekit
 * object (and so its status and usage) without any right on its siblings.
 */
export const READER_NAMES = {
  organization: (org: string) => `spacekit-organization-reader-${org}`,
  tenant: (tenant: string) => `spacekit-tenant-reader-${tenant}`,
  space: (space: string) => `spacekit-space-reader-${space}`,
} as const;

const READ = ['get', 'list', 'watch'];

function ownerRef(object: Organization | Tenant | Space): OwnerReference[] | undefined {
  // Without a uid (render for review, before the object exists) there is nothing to point at yet.
  if (!object.metadata.uid) return undefined;
  return [{ apiVersion: GROUP_VERSION, kind: object.kind, name: object.metadata.name, uid: object.metadata.uid }];
}

function rbacSubject(s: Subject): Record<string, string> {
  return s.kind === 'ServiceAccount'
    ? { kind: 'ServiceAccount', name: s.name, namespace: s.namespace ?? '' }
    : { apiGroup: 'rbac.authorization.k8s.io', kind: s.kind, name: s.name };
}

function uniqueSubjects(members: readonly { kind: Subject['kind']; name: string; namespace?: string | undefined }[]): Subject[] {
  const seen = new Map<string, Subject>();
  for (const m of members) {
    const subject: Subject = { kind: m.kind, name: m.name, ...(m.namespace !== undefined && { namespace: m.namespace }) };
    seen.set(`${m.kind}/${m.namespace ?? ''}/${m.name}`, subject);
  }
  return [...seen.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, s]) => s);
}

/**
 * A role that reads exactly one Spacekit object (by resourceNames; watches
 * need `fieldSelector=metadata.name=…`, which the API server authorises as
 * that name) and the binding of the level's members to it. Nothing is
 * rendered for a level without members.
 */
function reader(
  object: Organization | Tenant | Space,
  owner: Owner,
  scope: { namespace?: string; roleKind: 'Role' | 'ClusterRole'; bindingKind: 'RoleBinding' | 'ClusterRoleBinding' },
  name: string,
  plural: string,
  members: readonly { kind: Subject['kind']; name: string; namespace?: string | undefined }[],
): KubeObject[] {
  const subjects = uniqueSubjects(members);
  if (subjects.length === 0) return [];
  const refs = ownerRef(object);
  const metadata = {
    name,
    ...(scope.namespace !== undefined && { namespace: scope.namespace }),
    labels: ownerLabels(owner),
    ...(refs && { ownerReferences: refs }),
  };
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: scope.roleKind,
      metadata,
      rules: [
        { apiGroups: [API_GROUP], resources: [plural], resourceNames: [object.metadata.name], verbs: READ },
        { apiGroups: [API_GROUP], resources: [`${plural}/status`], resourceNames: [object.metadata.name], verbs: ['get'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: scope.bindingKind,
      metadata: structuredClone(metadata),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: scope.roleKind, name },
      subjects: subjects.map(rbacSubject),
    },
  ];
}

/** Organization members (admins and viewers) may read their Organization, which is cluster-scoped. */
export function renderOrganizationReader(org: Organization): KubeObject[] {
  const owner: Owner = { level: 'organization', organization: org.metadata.name };
  return reader(
    org,
    owner,
    { roleKind: 'ClusterRole', bindingKind: 'ClusterRoleBinding' },
    READER_NAMES.organization(org.metadata.name),
    'organizations',
    org.spec.members,
  );
}

/** Tenant members may read their Tenant, which lives in the organization's namespace beside its siblings. */
export function renderTenantReader(org: Organization, tenant: Tenant): KubeObject[] {
  const owner: Owner = { level: 'tenant', organization: org.metadata.name, tenant: tenant.metadata.name };
  return reader(
    tenant,
    owner,
    { namespace: organizationNamespace(org.metadata.name), roleKind: 'Role', bindingKind: 'RoleBinding' },
    READER_NAMES.tenant(tenant.metadata.name),
    'tenants',
    tenant.spec.members,
  );
}

/** Space members may read their Space, which lives in the tenant's namespace beside its siblings. */
export function renderSpaceReader(org: Organization, tenant: Tenant, space: Space): KubeObject[] {
  const owner: Owner = { level: 'space', organization: org.metadata.name, tenant: tenant.metadata.name, space: space.metadata.name };
  return reader(
    space,
    owner,
    { namespace: tenantNamespace(org.metadata.name, tenant.metadata.name), roleKind: 'Role', bindingKind: 'RoleBinding' },
    READER_NAMES.space(space.metadata.name),
    'spaces',
    space.spec.members,
  );
}
