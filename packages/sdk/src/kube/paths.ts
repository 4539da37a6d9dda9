/** How the API addresses one kind. */
interface ResourceInfo {
  plural: string;
  namespaced: boolean;
}

/**
 * The kinds Spacekit reads and writes, so that their URLs need no discovery
 * request. Anything else falls back to client-node's discovery.
 */
const KNOWN: Record<string, ResourceInfo> = {
  'v1/Namespace': { plural: 'namespaces', namespaced: false },
  'v1/ResourceQuota': { plural: 'resourcequotas', namespaced: true },
  'v1/LimitRange': { plural: 'limitranges', namespaced: true },
  'v1/ServiceAccount': { plural: 'serviceaccounts', namespaced: true },
  'v1/Service': { plural: 'services', namespaced: true },
  'v1/Pod': { plural: 'pods', namespaced: true },
  'v1/Event': { plural: 'events', namespaced: true },
  'apps/v1/Deployment': { plural: 'deployments', namespaced: true },
  'networking.k8s.io/v1/NetworkPolicy': { plural: 'networkpolicies', namespaced: true },
  'rbac.authorization.k8s.io/v1/Role': { plural: 'roles', namespaced: true },
  'rbac.authorization.k8s.io/v1/RoleBinding': { plural: 'rolebindings', namespaced: true },
  'rbac.authorization.k8s.io/v1/ClusterRole': { plural: 'clusterroles', namespaced: false },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': { plural: 'clusterrolebindings', namespaced: false },
  'node.k8s.io/v1/RuntimeClass': { plural: 'runtimeclasses', namespaced: false },
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy': { plural: 'validatingadmissionpolicies', namespaced: false },
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding': { plural: 'validatingadmissionpolicybindings', namespaced: false },
  'admissionregistration.k8s.io/v1/MutatingAdmissionPolicy': { plural: 'mutatingadmissionpolicies', namespaced: false },
  'admissionregistration.k8s.io/v1/MutatingAdmissionPolicyBinding': { plural: 'mutatingadmissionpolicybindings', namespaced: false },
  'apiextensions.k8s.io/v1/CustomResourceDefinition': { plural: 'customresourcedefinitions', namespaced: false },
  'coordination.k8s.io/v1/Lease': { plural: 'leases', namespaced: true },
  'events.k8s.io/v1/Event': { plural: 'events', namespaced: true },
  'spacekit.dev/v1alpha1/Organization': { plural: 'organizations', namespaced: false },
  'spacekit.dev/v1alpha1/Tenant': { plural: 'tenants', namespaced: true },
  'spacekit.dev/v1alpha1/Space': { plural: 'spaces', namespaced: true },
};

/**
 * The URL path of an object (or, for a list or a create, its collection) of
 * a known kind, or undefined for a kind that needs discovery.
 */
export function knownPath(
  object: { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } },
  action: 'create' | 'delete' | 'patch' | 'read' | 'list' | 'replace',
): string | undefined {
  const info = KNOWN[`${object.apiVersion}/${object.kind}`];
  if (!info) return undefined;
  const base = object.apiVersion?.includes('/') ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
  const namespace = info.namespaced && object.metadata?.namespace ? `/namespaces/${encodeURIComponent(object.metadata.namespace)}` : '';
  const collection = `${base}${namespace}/${info.plural}`;
  if (action === 'list' || action === 'create') return collection;
  const name = object.metadata?.name;
  // A named action without a name would address the collection; let discovery's path builder refuse it.
  if (!name) return undefined;
  return `${collection}/${encodeURIComponent(name)}`;
}
