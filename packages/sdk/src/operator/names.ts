/**
 * The names of the operator's objects, for the manifests that make them and
 * for code that finds them (the leader election, `kit.usage`), which then
 * need not import the manifests.
 */

/** The namespace the operator runs in unless told otherwise; the settings' default manager lives here. */
export const OPERATOR_NAMESPACE_DEFAULT = 'spacekit-system';

/** The operator's ServiceAccount, in the operator's namespace. */
export const OPERATOR_SERVICE_ACCOUNT = 'spacekit-operator';

/** The name of the operator's Deployment, and of its ClusterRole and binding in the default namespace. */
export const OPERATOR_NAME = 'spacekit-operator';

/** The Lease the operator's replicas elect a leader with; the leader-election Role grants only this one. */
export const OPERATOR_LEASE_NAME = 'spacekit-operator';

/** The Role and RoleBinding that let the operator hold {@link OPERATOR_LEASE_NAME}. */
export const OPERATOR_LEADER_ELECTION_ROLE = 'spacekit-operator-leader-election';

/** The Service in front of the operator's metrics and health endpoints. */
export const OPERATOR_METRICS_SERVICE = 'spacekit-operator-metrics';

/**
 * The name of the operator's ClusterRole and ClusterRoleBinding. They are
 * cluster-scoped, so an operator in another namespace (a second installation,
 * or a test) gets its own pair, `spacekit-operator-<namespace>`, instead of
 * taking over the default one.
 */
export function operatorClusterRoleName(namespace: string): string {
  return namespace === OPERATOR_NAMESPACE_DEFAULT ? OPERATOR_NAME : `${OPERATOR_NAME}-${namespace}`;
}

/** The `namespace:name` entry that must be in `settings.managers.serviceAccounts` for the operator in `namespace`. */
export function operatorManagerEntry(namespace: string): string {
  return `${namespace}:${OPERATOR_SERVICE_ACCOUNT}`;
}

/** The labels the operator's pods are selected by; a Deployment's selector is immutable, so these never change. */
export const OPERATOR_SELECTOR_LABELS: Readonly<Record<string, string>> = Object.freeze({
  'app.kubernetes.io/name': OPERATOR_NAME,
  'app.kubernetes.io/component': 'operator',
});
