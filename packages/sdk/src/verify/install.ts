import { LABELS } from '../model/index.ts';
import type { KubeObject } from '../render/index.ts';
import { compareObjects } from './objects.ts';
import type { CheckResult } from './report.ts';

// What `install()` puts at cluster scope, and what a deleted organization must not leave there. Pure: the
// caller reads the live objects.

const named = (o: KubeObject): string => `${o.kind} ${o.metadata.name}`;

/**
 * One result per object `install()` applies (ClusterRoles, the RuntimeClass,
 * the admission policies and their bindings): passed when the live object
 * holds everything rendered, else the first field that differs.
 */
export function checkInstall(desired: readonly KubeObject[], live: ReadonlyMap<string, KubeObject>): CheckResult[] {
  return compareObjects(desired, live, {
    id: 'install.as-rendered',
    category: 'install',
    subject: named,
    missing: 'the object as `spacekit install` applies it',
    fix: 'run `spacekit install` (kit.install()) to put it back, and find out who changed it',
  });
}

const BINDING_KIND: Record<string, string> = {
  MutatingAdmissionPolicy: 'MutatingAdmissionPolicyBinding',
  ValidatingAdmissionPolicy: 'ValidatingAdmissionPolicyBinding',
};

/**
 * One result per admission policy of Spacekit's in the cluster: a policy
 * without a binding is never applied to any request, so everything it exists
 * to refuse or set goes through unchecked.
 */
export function checkPoliciesBound(policies: readonly KubeObject[], bindings: readonly KubeObject[]): CheckResult[] {
  return policies.map((policy): CheckResult => {
    const base = { id: 'install.policies-bound', category: 'install', subject: named(policy) } as const;
    const bindingKind = BINDING_KIND[policy.kind] ?? `${policy.kind}Binding`;
    const bound = bindings.filter(
      (b) => b.kind === bindingKind && (b.spec as { policyName?: string } | undefined)?.policyName === policy.metadata.name,
    );
    if (bound.length > 0) return { ...base, status: 'passed' };
    return {
      ...base,
      status: 'failed',
      expected: `a ${bindingKind} with spec.policyName ${policy.metadata.name}, without which the policy applies to nothing`,
      seen: `no ${bindingKind} names it`,
      fix: `run \`spacekit install\` if it is Spacekit's own policy; otherwise bind it, or delete it (kubectl delete ${policy.kind.toLowerCase()} ${policy.metadata.name})`,
    };
  });
}

/**
 * One result per cluster-scoped object or namespace that carries an
 * organization's label: failed when that organization no longer exists, since
 * a leftover binding keeps granting what the organization's members had.
 * Objects already being deleted are on their way out and pass.
 */
export function checkLeftovers(organizations: ReadonlySet<string>, labelled: readonly KubeObject[]): CheckResult[] {
  return labelled.map((object): CheckResult => {
    const org = object.metadata.labels?.[LABELS.organization] ?? '';
    const base = { id: 'install.no-leftovers', category: 'install', subject: named(object) } as const;
    if (organizations.has(org) || object.metadata.deletionTimestamp) return { ...base, status: 'passed' };
    const kind = object.kind.toLowerCase();
    return {
      ...base,
      status: 'failed',
      expected: `nothing labelled ${LABELS.organization}=${org}, since organization ${org} does not exist`,
      seen: `${named(object)} is still there`,
      fix: `delete it (kubectl delete ${kind} ${object.metadata.name}); if the organization is meant to exist, create it again`,
    };
  });
}
