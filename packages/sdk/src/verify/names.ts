import type { ClusterSettings, Organization, Space, Tenant } from '../model/index.ts';
import { organizationNamespace, parseNamespace, spaceNamespace, tenantNamespace } from '../model/index.ts';
import { namespacesSelectedByName, selectedNamespaceProblem } from '../render/index.ts';
import type { CheckResult } from './report.ts';

const ID = 'names.not-selected-by-policies';

/**
 * Every level whose namespace is one that every Space's network policies
 * select by name (an organization named after the ingress controller's
 * namespace, made before Spacekit refused such names, or written around it)
 * fails; the rest pass.
 */
export function checkNames(
  settings: Pick<ClusterSettings, 'ingressNamespace'>,
  levels: { organizations: readonly Organization[]; tenants: readonly Tenant[]; spaces: readonly Space[] },
): CheckResult[] {
  const out: CheckResult[] = [];
  const selected = namespacesSelectedByName(settings)
    .map((s) => s.namespace)
    .join(', ');
  const check = (kind: 'organization' | 'tenant' | 'space', subject: string, name: string, namespace: () => string) => {
    let ns: string;
    try {
      ns = namespace();
    } catch {
      return; // A name that makes no namespace has none to collide; its status says why.
    }
    const problem = selectedNamespaceProblem(kind, name, ns, settings);
    out.push(
      problem
        ? {
            id: ID,
            category: 'names',
            subject,
            status: 'failed',
            expected: `a namespace other than those every Space's network policies select by name (${selected})`,
            seen: problem,
            fix: `delete the ${kind} and make it again under another name, or set another ingressNamespace and reinstall`,
          }
        : { id: ID, category: 'names', subject, status: 'passed' },
    );
  };
  for (const o of levels.organizations)
    check('organization', `organization ${o.metadata.name}`, o.metadata.name, () => organizationNamespace(o.metadata.name));
  for (const t of levels.tenants) {
    const o = t.metadata.namespace ?? '';
    check('tenant', `tenant ${o}/${t.metadata.name}`, t.metadata.name, () => tenantNamespace(o, t.metadata.name));
  }
  for (const s of levels.spaces) {
    const { organization: o = '', tenant: t = '' } = parseNamespace(s.metadata.namespace ?? '') ?? {};
    check('space', `space ${o}/${t}/${s.metadata.name}`, s.metadata.name, () => spaceNamespace(o, t, s.metadata.name));
  }
  return out;
}
