import { HttpMethod, type KubeClient } from '../kube/index.ts';
import { type Organization, parseNamespace, type Space, spaceNamespace, type Tenant } from '../model/index.ts';
import { pooled } from '../util/pool.ts';
import type { CheckResult } from './report.ts';

// Who may do what, asked the way the API server decides it: SubjectAccessReviews for each member Spacekit
// knows of, against every Space that is not theirs and against cluster-scoped resources. RBAC only: what
// admission policies refuse on top is checked elsewhere.

/** A member as RBAC sees it, and the levels it belongs to. */
export interface Member {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  namespace?: string | undefined;
  homes: { organization: string; tenant?: string; space?: string }[];
}

/** What a member of no other level may never do in a Space that is not theirs. */
const OTHER_SPACE_VERBS = [
  { verb: 'list', resource: 'pods', group: '' },
  { verb: 'get', resource: 'secrets', group: '' },
  { verb: 'create', resource: 'pods', group: '' },
] as const;

/** What no tenant member may do at cluster scope. */
const CLUSTER_VERBS = [
  { verb: 'list', resource: 'nodes', group: '' },
  { verb: 'create', resource: 'namespaces', group: '' },
  { verb: 'list', resource: 'persistentvolumes', group: '' },
  // A tenant who could make a PersistentVolume could make a hostPath one and claim it, around Pod Security.
  { verb: 'create', resource: 'persistentvolumes', group: '' },
  { verb: 'create', resource: 'clusterrolebindings', group: 'rbac.authorization.k8s.io' },
  { verb: 'list', resource: 'organizations', group: 'spacekit.dev' },
] as const;

/** Every member named by an Organization, Tenant or Space spec, with the levels it belongs to. */
export function membersOf(levels: {
  organizations: readonly Organization[];
  tenants: readonly Tenant[];
  spaces: readonly Space[];
}): Member[] {
  const byKey = new Map<string, Member>();
  const add = (m: { kind: Member['kind']; name: string; namespace?: string | undefined }, home: Member['homes'][number]) => {
    const key = `${m.kind}/${m.namespace ?? ''}/${m.name}`;
    const member = byKey.get(key) ?? { kind: m.kind, name: m.name, namespace: m.namespace, homes: [] };
    member.homes.push(home);
    byKey.set(key, member);
  };
  for (const o of levels.organizations) for (const m of o.spec.members ?? []) add(m, { organization: o.metadata.name });
  for (const t of levels.tenants)
    for (const m of t.spec.members ?? []) add(m, { organization: t.metadata.namespace ?? '', tenant: t.metadata.name });
  for (const s of levels.spaces) {
    const at = parseNamespace(s.metadata.namespace ?? '');
    if (!at?.tenant) continue;
    for (const m of s.spec.members ?? []) add(m, { organization: at.organization, tenant: at.tenant, space: s.metadata.name });
  }
  return [...byKey.values()];
}

/** Whether a Space belongs to one of a member's levels, where it may rightly act. */
export function isHome(member: Member, o: string, t: string, s: string): boolean {
  return member.homes.some(
    (h) => h.organization === o && (h.tenant === undefined || h.tenant === t) && (h.space === undefined || h.space === s),
  );
}

export function describe(member: Member): string {
  const kind = member.kind === 'ServiceAccount' ? `ServiceAccount ${member.namespace}/${member.name}` : `${member.kind} ${member.name}`;
  const homes = member.homes.map((h) => [h.organization, h.tenant, h.space].filter(Boolean).join('/')).join(', ');
  return `${kind} (member of ${homes})`;
}

/** The user and groups a SubjectAccessReview asks about for `member`. */
export function identity(member: Member): { user: string; groups: string[] } {
  if (member.kind === 'ServiceAccount') {
    const ns = member.namespace ?? '';
    return {
      user: `system:serviceaccount:${ns}:${member.name}`,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
    };
  }
  if (member.kind === 'Group') return { user: 'spacekit-verify:member-of-group', groups: [member.name, 'system:authenticated'] };
  return { user: member.name, groups: ['system:authenticated'] };
}

async function allowed(
  client: KubeClient,
  member: Member,
  attributes: { verb: string; resource: string; group: string; namespace?: string },
): Promise<boolean> {
  const review = await client.raw.request<{ status?: { allowed?: boolean } }>(
    HttpMethod.POST,
    '/apis/authorization.k8s.io/v1/subjectaccessreviews',
    {
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: { ...identity(member), resourceAttributes: attributes },
      },
    },
  );
  return review.status?.allowed === true;
}

/**
 * For every member: denied the Spaces that are not theirs (MTB profile level 1's pending
 * block access to other tenants' resources) and denied cluster-scoped
 * resources (MTB-PL1-CC-CPI-1, block access to cluster resources), each
 * failure naming what was allowed where.
 */
export async function checkAccess(
  client: KubeClient,
  levels: { organizations: readonly Organization[]; tenants: readonly Tenant[]; spaces: readonly Space[] },
): Promise<CheckResult[]> {
  const spaces = levels.spaces.flatMap((s) => {
    const at = parseNamespace(s.metadata.namespace ?? '');
    return at?.tenant
      ? [{ o: at.organization, t: at.tenant, s: s.metadata.name, ns: spaceNamespace(at.organization, at.tenant, s.metadata.name) }]
      : [];
  });
  const members = membersOf(levels);
  return (
    await pooled(
      members.flatMap((member) => [
        async (): Promise<CheckResult> => {
          const others = spaces.filter((x) => !isHome(member, x.o, x.t, x.s));
          const asks = others.flatMap((x) => OTHER_SPACE_VERBS.map((v) => ({ ...v, namespace: x.ns })));
          const granted = (await pooled(asks.map((a) => async () => ((await allowed(client, member, a)) ? a : undefined)))).filter(
            (a) => a !== undefined,
          );
          const subject = describe(member);
          if (granted.length === 0) return { id: 'access.other-spaces-denied', category: 'access', subject, status: 'passed' };
          return {
            id: 'access.other-spaces-denied',
            category: 'access',
            subject,
            status: 'failed',
            expected: `denied ${OTHER_SPACE_VERBS.map((v) => `${v.verb} ${v.resource}`).join(', ')} in the ${others.length} Spaces that are not theirs`,
            seen: `allowed ${granted.map((a) => `${a.verb} ${a.resource} in namespace ${a.namespace}`).join('; ')}`,
            fix: `find the RoleBinding or ClusterRoleBinding that grants it (kubectl get rolebindings -n ${granted[0]?.namespace} -o wide) and remove it; Spacekit grants only through a level's members`,
          };
        },
        async (): Promise<CheckResult> => {
          const granted = (await pooled(CLUSTER_VERBS.map((v) => async () => ((await allowed(client, member, v)) ? v : undefined)))).filter(
            (v) => v !== undefined,
          );
          const subject = describe(member);
          if (granted.length === 0)
            return { id: 'access.cluster-resources-denied', category: 'access', mtb: 'MTB-PL1-CC-CPI-1', subject, status: 'passed' };
          return {
            id: 'access.cluster-resources-denied',
            category: 'access',
            mtb: 'MTB-PL1-CC-CPI-1',
            subject,
            status: 'failed',
            expected: `denied ${CLUSTER_VERBS.map((v) => `${v.verb} ${v.resource}`).join(', ')} at cluster scope`,
            seen: `allowed ${granted.map((v) => `${v.verb} ${v.resource}`).join(', ')}`,
            fix: 'find the ClusterRoleBinding that grants it (kubectl get clusterrolebindings -o wide) and remove it',
          };
        },
      ]),
      4,
    )
  ).flat();
}
