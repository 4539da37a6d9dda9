import { CLUSTER_ROLES } from '../install/cluster-roles.ts';
import type { Subject } from '../model/index.ts';
import { type KubeObject, type Owner, ownerLabels, shortHash } from './objects.ts';

/** A subject bound to a ClusterRole in one namespace. */
export interface Binding {
  subject: Subject;
  clusterRole: string;
  /** Where the binding comes from, for people reading it: `space`, `tenant` or `organization`. */
  via: Owner['level'];
}

function subjectKey(s: Subject): string {
  return `${s.kind}/${s.namespace ?? ''}/${s.name}`;
}

/**
 * Keeps one binding per subject: the strongest, in the order of `strength`
 * (first is strongest). A person who is an organization admin and a Space
 * viewer is an admin in that Space.
 */
export function strongestBindings(bindings: readonly Binding[], strength: readonly string[]): Binding[] {
  const best = new Map<string, Binding>();
  for (const b of bindings) {
    const key = subjectKey(b.subject);
    const current = best.get(key);
    if (!current || strength.indexOf(b.clusterRole) < strength.indexOf(current.clusterRole)) best.set(key, b);
  }
  return [...best.values()].sort((a, b) => subjectKey(a.subject).localeCompare(subjectKey(b.subject)));
}

/**
 * One RoleBinding per member, named from a hash of the subject and role, so
 * that removing a member removes (prunes) exactly that binding.
 */
export function renderRoleBindings(namespace: string, owner: Owner, bindings: readonly Binding[]): KubeObject[] {
  return bindings.map((b) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: {
      name: `${b.clusterRole}-${shortHash(`${subjectKey(b.subject)}|${b.clusterRole}`)}`,
      namespace,
      labels: ownerLabels(owner),
      annotations: {
        'spacekit.dev/member': `${b.subject.kind}:${b.subject.namespace ? `${b.subject.namespace}/` : ''}${b.subject.name}`,
        'spacekit.dev/member-via': b.via,
      },
    },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: b.clusterRole },
    subjects: [
      b.subject.kind === 'ServiceAccount'
        ? { kind: 'ServiceAccount', name: b.subject.name, namespace: b.subject.namespace }
        : { apiGroup: 'rbac.authorization.k8s.io', kind: b.subject.kind, name: b.subject.name },
    ],
  }));
}

export { CLUSTER_ROLES };
