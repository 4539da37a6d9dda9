import type { V1ValidatingAdmissionPolicy, V1ValidatingAdmissionPolicyBinding } from '@kubernetes/client-node';
import { ValidationError } from '../errors.ts';
import { LABELS, MANAGER } from '../model/common.ts';
import type { ClusterSettings } from '../model/settings.ts';
import { celString, celStringList, installMetadata } from './labels.ts';

/** Names of the protection policies; each binding has its policy's name. */
export const PROTECT_POLICIES = {
  managed: 'spacekit-protect-managed',
  namespaces: 'spacekit-protect-namespaces',
} as const;

/** What `spacekit-protect-managed` guards inside Spacekit's namespaces. */
export const PROTECTED_RESOURCES = [
  { apiGroup: '', resources: ['resourcequotas', 'limitranges'] },
  { apiGroup: 'networking.k8s.io', resources: ['networkpolicies'] },
  { apiGroup: 'rbac.authorization.k8s.io', resources: ['roles', 'rolebindings'] },
] as const;

/**
 * The username Kubernetes gives a ServiceAccount from the settings' `namespace:name` form.
 *
 * @throws {ValidationError} when the entry is not `namespace:name`.
 */
export function serviceAccountUsername(entry: string, index = 0): string {
  const parts = entry.split(':');
  const [namespace, name] = parts;
  if (parts.length !== 2 || !namespace || !name) {
    throw new ValidationError('cluster settings', [
      {
        path: `managers.serviceAccounts.${index}`,
        message: `"${entry}" is not a ServiceAccount; write it as namespace:name, such as "spacekit-system:spacekit-operator"`,
      },
    ]);
  }
  return `system:serviceaccount:${namespace}:${name}`;
}

/**
 * The CEL that is true when the request comes from one of the settings'
 * managers. `false` when there are none, so that nobody can change managed
 * objects rather than everybody.
 *
 * @throws {ValidationError} when a ServiceAccount entry is not `namespace:name`.
 */
export function managerExpression(managers: ClusterSettings['managers']): string {
  const usernames = [...managers.users, ...managers.serviceAccounts.map((entry, i) => serviceAccountUsername(entry, i))];
  const clauses: string[] = [];
  if (usernames.length > 0) clauses.push(`request.userInfo.username in ${celStringList(usernames)}`);
  // The request omits `groups` when the user has none, and reading a missing field is an error, which would deny.
  if (managers.groups.length > 0) {
    clauses.push(`(has(request.userInfo.groups) && request.userInfo.groups.exists(g, g in ${celStringList(managers.groups)}))`);
  }
  return clauses.length > 0 ? clauses.join(' || ') : 'false';
}

/** The CEL that allows a change to a managed object in a namespace: by a manager, or while the namespace is being deleted. */
export const PROTECT_MANAGED_EXPRESSION = 'variables.isManager || has(namespaceObject.metadata.deletionTimestamp)';

/** The CEL that allows a change to a managed namespace: by a manager, or once it is being deleted. */
export const PROTECT_NAMESPACES_EXPRESSION = 'variables.isManager || has(oldObject.metadata.deletionTimestamp)';

const MANAGED_TAIL = ' is managed by Spacekit; change the Space instead (spacekit update space …), not the object';
const NAMESPACE_TAIL = ' is managed by Spacekit; change or delete its Organization, Tenant or Space instead, not the namespace';

/** The denial text for a managed object. `request` rather than `object` because `object` is null on DELETE. */
export const PROTECT_MANAGED_MESSAGE_EXPRESSION = `request.kind.kind + " " + request.name + ${celString(MANAGED_TAIL)}`;

/** The denial text for a managed namespace. */
export const PROTECT_NAMESPACES_MESSAGE_EXPRESSION = `${celString('namespace ')} + request.name + ${celString(NAMESPACE_TAIL)}`;

function managedBySpacekit() {
  return { objectSelector: { matchLabels: { [LABELS.managedBy]: MANAGER } } };
}

/**
 * The admission policies that keep people from changing, by hand, what
 * Spacekit manages: the ResourceQuota, LimitRange, NetworkPolicies and
 * RoleBindings it puts in its namespaces, and the namespaces themselves.
 * Without them a Space admin could widen their own network policy or grant
 * themselves more through a RoleBinding, since the built-in `admin` role allows
 * both; the operator would undo it only on its next pass.
 *
 * Only objects labelled `app.kubernetes.io/managed-by: spacekit` are guarded;
 * the bindings select them with an object selector, which the apiserver tests
 * against the old object too, so a DELETE, or an UPDATE that drops the label,
 * is caught, and so is a CREATE that forges it. The settings' managers (users,
 * groups and ServiceAccounts) are let through.
 *
 * Two policies rather than one because namespaces differ in what is guarded
 * and what is exempt. For objects inside a namespace, CREATE, UPDATE and
 * DELETE are guarded, and anything goes once the namespace is being deleted,
 * since the namespace controller has to remove them and its identity differs
 * between clusters. For namespaces, UPDATE and DELETE are guarded (only cluster
 * admins can create namespaces; no Spacekit role grants it), and anything goes once the
 * namespace is terminating, so the garbage collector can remove its
 * finalizers. Status and `finalize` subresources are not matched, so the
 * controllers that write them are never in the way.
 *
 * Objects that the operator deletes with foreground propagation would hit
 * the same snag as namespaces (the garbage collector removes the finalizer);
 * the operator should delete them with background propagation.
 *
 * @throws {ValidationError} when a ServiceAccount entry in the settings is not `namespace:name`.
 */
export function renderProtectionPolicies(
  settings: ClusterSettings,
): [V1ValidatingAdmissionPolicy, V1ValidatingAdmissionPolicyBinding, V1ValidatingAdmissionPolicy, V1ValidatingAdmissionPolicyBinding] {
  const isManager = managerExpression(settings.managers);
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: installMetadata(PROTECT_POLICIES.managed),
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: PROTECTED_RESOURCES.map(({ apiGroup, resources }) => ({
            apiGroups: [apiGroup],
            apiVersions: ['v1'],
            operations: ['CREATE', 'UPDATE', 'DELETE'],
            resources: [...resources],
          })),
        },
        variables: [{ name: 'isManager', expression: isManager }],
        validations: [
          {
            expression: PROTECT_MANAGED_EXPRESSION,
            messageExpression: PROTECT_MANAGED_MESSAGE_EXPRESSION,
            message: `this object${MANAGED_TAIL}`,
            reason: 'Forbidden',
          },
        ],
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: installMetadata(PROTECT_POLICIES.managed),
      spec: { policyName: PROTECT_POLICIES.managed, validationActions: ['Deny'], matchResources: managedBySpacekit() },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: installMetadata(PROTECT_POLICIES.namespaces),
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['UPDATE', 'DELETE'], resources: ['namespaces'] }],
        },
        variables: [{ name: 'isManager', expression: isManager }],
        validations: [
          {
            expression: PROTECT_NAMESPACES_EXPRESSION,
            messageExpression: PROTECT_NAMESPACES_MESSAGE_EXPRESSION,
            message: `this namespace${NAMESPACE_TAIL}`,
            reason: 'Forbidden',
          },
        ],
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: installMetadata(PROTECT_POLICIES.namespaces),
      spec: { policyName: PROTECT_POLICIES.namespaces, validationActions: ['Deny'], matchResources: managedBySpacekit() },
    },
  ];
}
