import {
  API_GROUP,
  API_VERSION,
  type ClusterSettings,
  LABELS,
  type Organization,
  organizationNamespace,
  type Space,
  spaceNamespace,
  type Subject,
  type Tenant,
  tenantNamespace,
} from '../model/index.ts';
import { canonicalResources, quantitiesAsStrings } from '../quantity/index.ts';
import { type KubeObject, type Owner, type OwnerReference, ownerLabels } from './objects.ts';
import { type Binding, CLUSTER_ROLES, renderRoleBindings, strongestBindings } from './rbac.ts';
import { renderOrganizationReader, renderSpaceReader, renderTenantReader } from './readers.ts';
import { DNS_NAMESPACE } from './selected-namespaces.ts';

/** Names of the objects Spacekit renders into every namespace it keeps. */
export const OBJECT_NAMES = {
  quota: 'spacekit-quota',
  limitRange: 'spacekit-defaults',
  denyAll: 'spacekit-default-deny',
  sameSpace: 'spacekit-allow-same-space',
  ingressController: 'spacekit-allow-ingress-controller',
  egress: 'spacekit-allow-egress',
  tenantPeers: 'spacekit-allow-tenant',
  organizationPeers: 'spacekit-allow-organization',
  listedPeers: 'spacekit-allow-listed',
} as const;

/**
 * Quota entries every Space gets unless its resources say otherwise:
 * NodePorts open ports on every node, LoadBalancers and volumes cost money,
 * and a claim without a cap could take all of a cluster's storage, so all
 * three are opt-in (ADR 0016).
 */
export const DEFAULT_SPACE_QUOTA = {
  'services.nodeports': '0',
  'services.loadbalancers': '0',
  'requests.storage': '0',
} as const;

function organizationOwner(org: Organization): OwnerReference | undefined {
  // Namespaces are cluster-scoped, so only the cluster-scoped Organization can
  // own them; the garbage collector then removes every namespace of a deleted
  // organization even if Spacekit itself is not running.
  return org.metadata.uid
    ? {
        apiVersion: `${API_GROUP}/${API_VERSION}`,
        kind: 'Organization',
        name: org.metadata.name,
        uid: org.metadata.uid,
        blockOwnerDeletion: true,
      }
    : undefined;
}

function namespaceObject(name: string, owner: Owner, org: Organization, extraLabels: Record<string, string>): KubeObject {
  const ref = organizationOwner(org);
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: { ...ownerLabels(owner), ...extraLabels },
      ...(ref && { ownerReferences: [ref] }),
    },
  };
}

function podSecurityLabels(level: string): Record<string, string> {
  return {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/enforce-version': 'latest',
    'pod-security.kubernetes.io/warn': level,
    'pod-security.kubernetes.io/warn-version': 'latest',
    'pod-security.kubernetes.io/audit': level,
    'pod-security.kubernetes.io/audit-version': 'latest',
  };
}

function quotaObject(namespace: string, owner: Owner, hard: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: OBJECT_NAMES.quota, namespace, labels: ownerLabels(owner) },
    spec: { hard },
  };
}

// The apiserver drops an empty `except`, so rendering one would make every re-apply look like drift.
function ipBlock(cidr: string, except: string[]): { cidr: string; except?: string[] } {
  return except.length > 0 ? { cidr, except } : { cidr };
}

function networkPolicy(namespace: string, owner: Owner, name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace, labels: ownerLabels(owner) },
    spec,
  };
}

function members<M extends { kind: Subject['kind']; name: string; namespace?: string | undefined; role: string }>(
  list: readonly M[],
  role: M['role'],
): Subject[] {
  return list
    .filter((m) => m.role === role)
    .map((m) => ({ kind: m.kind, name: m.name, ...(m.namespace !== undefined && { namespace: m.namespace }) }));
}

/**
 * The objects that make an Organization's namespace: the namespace, a quota
 * that keeps workloads out of it (it holds only Tenant objects), its
 * members' bindings, and a cluster role that lets its members read the
 * Organization object itself.
 */
export function renderOrganization(org: Organization): KubeObject[] {
  const ns = organizationNamespace(org.metadata.name);
  const owner: Owner = { level: 'organization', organization: org.metadata.name };
  const bindings: Binding[] = [
    ...members(org.spec.members, 'admin').map((subject) => ({
      subject,
      clusterRole: CLUSTER_ROLES.organizationAdmin,
      via: 'organization' as const,
    })),
    ...members(org.spec.members, 'viewer').map((subject) => ({
      subject,
      clusterRole: CLUSTER_ROLES.levelViewer,
      via: 'organization' as const,
    })),
  ];
  return [
    namespaceObject(ns, owner, org, podSecurityLabels('restricted')),
    quotaObject(ns, owner, { pods: '0' }),
    ...renderRoleBindings(ns, owner, strongestBindings(bindings, [CLUSTER_ROLES.organizationAdmin, CLUSTER_ROLES.levelViewer])),
    ...renderOrganizationReader(org),
  ];
}

/**
 * The objects that make a Tenant's namespace, which holds its Space objects.
 * Organization admins are tenant admins too. The tenant's members also get a
 * role in the organization's namespace to read their own Tenant object.
 */
export function renderTenant(org: Organization, tenant: Tenant): KubeObject[] {
  const ns = tenantNamespace(org.metadata.name, tenant.metadata.name);
  const owner: Owner = { level: 'tenant', organization: org.metadata.name, tenant: tenant.metadata.name };
  const bindings: Binding[] = [
    ...members(org.spec.members, 'admin').map((subject) => ({
      subject,
      clusterRole: CLUSTER_ROLES.tenantAdmin,
      via: 'organization' as const,
    })),
    ...members(tenant.spec.members, 'admin').map((subject) => ({
      subject,
      clusterRole: CLUSTER_ROLES.tenantAdmin,
      via: 'tenant' as const,
    })),
    ...members(org.spec.members, 'viewer').map((subject) => ({
      subject,
      clusterRole: CLUSTER_ROLES.levelViewer,
      via: 'organization' as const,
    })),
    ...members(tenant.spec.members, 'viewer').map((subject) => ({
      subject,
      clusterRole: CLUSTER_ROLES.levelViewer,
      via: 'tenant' as const,
    })),
  ];
  return [
    namespaceObject(ns, owner, org, podSecurityLabels('restricted')),
    quotaObject(ns, owner, { pods: '0' }),
    ...renderRoleBindings(ns, owner, strongestBindings(bindings, [CLUSTER_ROLES.tenantAdmin, CLUSTER_ROLES.levelViewer])),
    ...renderTenantReader(org, tenant),
  ];
}

/**
 * The objects that make a Space (DESIGN.md §1): its namespace with Pod
 * Security and sandbox labels, ResourceQuota, LimitRange, network policies
 * and member bindings. Tenant and organization admins are Space admins;
 * their viewers are Space viewers.
 *
 * Pure: the same inputs always give the same objects, in the same order.
 */
export function renderSpace(org: Organization, tenant: Tenant, space: Space, settings: ClusterSettings): KubeObject[] {
  const o = org.metadata.name;
  const t = tenant.metadata.name;
  const s = space.metadata.name;
  const ns = spaceNamespace(o, t, s);
  const owner: Owner = { level: 'space', organization: o, tenant: t, space: s };
  const spec = space.spec;

  const namespace = namespaceObject(ns, owner, org, {
    ...podSecurityLabels(spec.podSecurity),
    ...(spec.sandbox === 'gvisor' && { [LABELS.sandbox]: 'gvisor' }),
  });
  const quota = quotaObject(ns, owner, canonicalResources({ ...DEFAULT_SPACE_QUOTA, ...spec.resources }, 'spec.resources'));
  const limitRange: KubeObject = {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: OBJECT_NAMES.limitRange, namespace: ns, labels: ownerLabels(owner) },
    spec: {
      limits: [
        {
          type: 'Container',
          defaultRequest: quantitiesAsStrings(spec.containerDefaults.request),
          default: quantitiesAsStrings(spec.containerDefaults.limit),
        },
      ],
    },
  };

  const byNamespaceName = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
  const policies: KubeObject[] = [
    networkPolicy(ns, owner, OBJECT_NAMES.denyAll, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    networkPolicy(ns, owner, OBJECT_NAMES.sameSpace, {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: {} }] }],
    }),
    networkPolicy(ns, owner, OBJECT_NAMES.ingressController, {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [byNamespaceName(settings.ingressNamespace)] }],
    }),
    networkPolicy(ns, owner, OBJECT_NAMES.egress, {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ ...byNamespaceName(DNS_NAMESPACE), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
        {
          to: [
            {
              ipBlock: ipBlock(
                '0.0.0.0/0',
                settings.blockedEgress.filter((c) => !c.includes(':')),
              ),
            },
          ],
        },
        {
          to: [
            {
              ipBlock: ipBlock(
                '::/0',
                settings.blockedEgress.filter((c) => c.includes(':')),
              ),
            },
          ],
        },
      ],
    }),
  ];
  if (spec.network.preset === 'tenant') {
    policies.push(
      networkPolicy(ns, owner, OBJECT_NAMES.tenantPeers, {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [
          { from: [{ namespaceSelector: { matchLabels: { [LABELS.organization]: o, [LABELS.tenant]: t, [LABELS.level]: 'space' } } }] },
        ],
      }),
    );
  }
  if (spec.network.preset === 'organization') {
    policies.push(
      networkPolicy(ns, owner, OBJECT_NAMES.organizationPeers, {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { [LABELS.organization]: o, [LABELS.level]: 'space' } } }] }],
      }),
    );
  }
  if (spec.network.allowFrom.length > 0) {
    const peers = [...new Set(spec.network.allowFrom)].sort().map((ref) => {
      const [peerTenant = '', peerSpace = ''] = ref.split('/');
      return byNamespaceName(spaceNamespace(o, peerTenant, peerSpace));
    });
    policies.push(
      networkPolicy(ns, owner, OBJECT_NAMES.listedPeers, { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: peers }] }),
    );
  }

  const roleFor = { admin: CLUSTER_ROLES.spaceAdmin, developer: CLUSTER_ROLES.developer, viewer: CLUSTER_ROLES.viewer } as const;
  const inherited = (
    from: readonly { kind: Subject['kind']; name: string; namespace?: string | undefined; role: string }[],
    via: Owner['level'],
  ) => [
    ...members(from, 'admin').map((subject) => ({ subject, clusterRole: CLUSTER_ROLES.spaceAdmin, via })),
    ...members(from, 'viewer').map((subject) => ({ subject, clusterRole: CLUSTER_ROLES.viewer, via })),
  ];
  const bindings: Binding[] = [
    ...spec.members.map((m) => ({
      subject: { kind: m.kind, name: m.name, ...(m.namespace !== undefined && { namespace: m.namespace }) },
      clusterRole: roleFor[m.role],
      via: 'space' as const,
    })),
    ...inherited(tenant.spec.members, 'tenant'),
    ...inherited(org.spec.members, 'organization'),
  ];

  return [
    namespace,
    quota,
    limitRange,
    ...policies,
    ...renderRoleBindings(
      ns,
      owner,
      strongestBindings(bindings, [CLUSTER_ROLES.spaceAdmin, CLUSTER_ROLES.developer, CLUSTER_ROLES.viewer]),
    ),
    ...renderSpaceReader(org, tenant, space),
  ];
}
