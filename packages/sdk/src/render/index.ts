export { type KubeObject, type Owner, ownerLabels, ownerSelector, type OwnerReference } from './objects.ts';
export { CLUSTER_ROLES } from './rbac.ts';
export { DEFAULT_SPACE_QUOTA, OBJECT_NAMES, renderOrganization, renderSpace, renderTenant } from './render.ts';
export { DNS_NAMESPACE, namespacesSelectedByName, type SelectedNamespace, selectedNamespaceProblem } from './selected-namespaces.ts';
export { READER_NAMES, renderOrganizationReader, renderSpaceReader, renderTenantReader } from './readers.ts';
export { levelNamespace, levelScans, OWNED_KINDS, type OwnedKind, type OwnedScan } from './scans.ts';
