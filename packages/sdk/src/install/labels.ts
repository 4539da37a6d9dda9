import type { V1ObjectMeta } from '@kubernetes/client-node';
import { LABELS, MANAGER } from '../model/common.ts';

/** The label that, together with `app.kubernetes.io/managed-by`, marks what `install()` applies. */
export const PART_OF_LABEL = 'app.kubernetes.io/part-of';

/** Labels on every cluster-wide object `install()` applies. */
export const INSTALL_LABELS: Readonly<Record<string, string>> = Object.freeze({
  [LABELS.managedBy]: MANAGER,
  [PART_OF_LABEL]: MANAGER,
});

/**
 * Selects exactly the objects `install()` applies, for uninstall. Namespaces,
 * quotas and the like also carry `managed-by: spacekit` but not `part-of`, so
 * both labels are needed to keep uninstall away from tenants' objects.
 */
export const INSTALL_LABEL_SELECTOR = Object.entries(INSTALL_LABELS)
  .map(([key, value]) => `${key}=${value}`)
  .join(',');

/**
 * The kinds `install()` applies, in the order to apply them; uninstall walks
 * the list backwards. All are cluster-scoped.
 *
 * The RuntimeClass precedes the policies because the RuntimeClass admission
 * plugin rejects pods that name a class that does not exist. Each policy
 * precedes its binding so a binding takes effect the moment it exists, and the
 * mutating policy precedes the validating ones so no sandboxed pod is denied
 * for lacking a class the mutation was about to set. Reversed, enforcement is
 * removed before the mutation it relies on.
 */
export const installObjectKinds = [
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding' },
  { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass' },
  { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingAdmissionPolicy' },
  { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingAdmissionPolicyBinding' },
  { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy' },
  { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding' },
] as const;

/** One of {@link installObjectKinds}. */
export type InstallObjectKind = (typeof installObjectKinds)[number];

/** Metadata for an installed object; a fresh object each call so rendered objects never share references. */
export function installMetadata(name: string): V1ObjectMeta & { name: string; labels: Record<string, string> } {
  return { name, labels: { ...INSTALL_LABELS } };
}

/**
 * A CEL string literal for `value`. JSON's escapes (`\"`, `\\`, `\n`, `\uXXXX`)
 * are all valid CEL escapes, and settings may hold any text (user names are
 * often e-mail addresses or OIDC URLs), so nothing is spliced in unquoted.
 */
export function celString(value: string): string {
  return JSON.stringify(value);
}

/** A CEL list literal of strings. */
export function celStringList(values: readonly string[]): string {
  return `[${values.map(celString).join(', ')}]`;
}
