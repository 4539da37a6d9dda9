import { AppsV1Api, CoreV1Api, type KubeConfig, NetworkingV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import type { Spacekit } from '@spacekit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKubeConfig, eventually, impersonating, restrictedPod, uniqueName, webDeployment } from '../support/kube.ts';
import { adminKit } from '../support/spacekit.ts';

const admin = adminKubeConfig();
let kit: Spacekit;

interface Member {
  user: string;
  namespace: string;
}

const suffix = uniqueName('iso').slice(4);
const orgs = [`iso-a-${suffix}`, `iso-b-${suffix}`];
const members: Member[] = [];
for (const o of orgs)
  for (const t of ['t1', 't2']) for (const s of ['s1', 's2']) members.push({ user: `dev-${o}-${t}-${s}`, namespace: `${o}--${t}--${s}` });

beforeAll(async () => {
  kit = await adminKit();
  for (const o of orgs) {
    await kit.organizations.create({ name: o, resources: { cpu: 4, memory: '8Gi' } });
    for (const t of ['t1', 't2']) {
      await kit.tenants.create({ organization: o, name: t, resources: { cpu: 2, memory: '4Gi' } });
      await Promise.all(
        ['s1', 's2'].map((s) =>
          kit.spaces.create({
            organization: o,
            tenant: t,
            name: s,
            resources: { cpu: 1, memory: '2Gi' },
            members: [{ kind: 'User', name: `dev-${o}-${t}-${s}`, role: 'developer' }],
          }),
        ),
      );
    }
  }
});

afterAll(async () => {
  await Promise.all(orgs.map((o) => kit.organizations.delete(o)));
});

type Outcome = 'allowed' | 'denied';
async function outcome(request: Promise<unknown>): Promise<Outcome> {
  try {
    await request;
    return 'allowed';
  } catch (err) {
    if ((err as { code?: number }).code === 403) return 'denied';
    throw err;
  }
}

/** Every check, with what it must be; a leak is a check whose outcome differs. */
interface Check {
  who: string;
  what: string;
  expected: Outcome;
  actual: Outcome;
}

function clients(kc: KubeConfig) {
  return {
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    net: kc.makeApiClient(NetworkingV1Api),
    rbac: kc.makeApiClient(RbacAuthorizationV1Api),
  };
}

describe('isolation matrix (2 organizations × 2 tenants × 2 Spaces, a member in each)', () => {
  it('lets every member work in their own Space and nowhere else, and never on what Spacekit manages', { timeout: 600_000 }, async () => {
    const checks: Check[] = [];
    const record = async (who: string, what: string, expected: Outcome, request: () => Promise<unknown>) => {
      checks.push({ who, what, expected, actual: await outcome(request()) });
    };

    for (const member of members) {
      const as = clients(impersonating(admin, member.user));
      const own = member.namespace;
      // RBAC picks up new bindings through an informer; wait for this member's to land before judging.
      await eventually(`${member.user}'s binding`, () => as.core.listNamespacedPod({ namespace: own }));

      await record(member.user, `create ConfigMap in ${own}`, 'allowed', () =>
        as.core.createNamespacedConfigMap({ namespace: own, body: { metadata: { name: 'mine' }, data: { a: 'b' } } }),
      );
      await record(member.user, `create Deployment in ${own}`, 'allowed', () =>
        as.apps.createNamespacedDeployment({ namespace: own, body: webDeployment(1) }),
      );
      await record(member.user, `list pods in ${own}`, 'allowed', () => as.core.listNamespacedPod({ namespace: own }));

      for (const other of members.filter((m) => m !== member)) {
        const ns = other.namespace;
        await record(member.user, `list pods in ${ns}`, 'denied', () => as.core.listNamespacedPod({ namespace: ns }));
        await record(member.user, `get ConfigMap in ${ns}`, 'denied', () =>
          as.core.readNamespacedConfigMap({ name: 'mine', namespace: ns }),
        );
        await record(member.user, `create ConfigMap in ${ns}`, 'denied', () =>
          as.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'intruder' } } }),
        );
        await record(member.user, `list Secrets in ${ns}`, 'denied', () => as.core.listNamespacedSecret({ namespace: ns }));
        await record(member.user, `delete Deployment in ${ns}`, 'denied', () =>
          as.apps.deleteNamespacedDeployment({ name: 'web', namespace: ns }),
        );
        await record(member.user, `create Pod in ${ns}`, 'denied', () =>
          as.core.createNamespacedPod({ namespace: ns, body: restrictedPod('intruder') }),
        );
      }

      await record(member.user, `change own ResourceQuota`, 'denied', () =>
        as.core.replaceNamespacedResourceQuota({
          name: 'spacekit-quota',
          namespace: own,
          body: { metadata: { name: 'spacekit-quota' }, spec: { hard: { 'requests.cpu': '100' } } },
        }),
      );
      await record(member.user, `delete own ResourceQuota`, 'denied', () =>
        as.core.deleteNamespacedResourceQuota({ name: 'spacekit-quota', namespace: own }),
      );
      await record(member.user, `delete own LimitRange`, 'denied', () =>
        as.core.deleteNamespacedLimitRange({ name: 'spacekit-defaults', namespace: own }),
      );
      await record(member.user, `delete own default-deny NetworkPolicy`, 'denied', () =>
        as.net.deleteNamespacedNetworkPolicy({ name: 'spacekit-default-deny', namespace: own }),
      );
      await record(member.user, `weaken own default-deny NetworkPolicy`, 'denied', () =>
        as.net.replaceNamespacedNetworkPolicy({
          name: 'spacekit-default-deny',
          namespace: own,
          body: { metadata: { name: 'spacekit-default-deny' }, spec: { podSelector: { matchLabels: { none: 'x' } } } },
        }),
      );
      await record(member.user, `delete one of own Spacekit RoleBindings`, 'denied', async () => {
        const bindings = await clients(admin).rbac.listNamespacedRoleBinding({ namespace: own });
        return as.rbac.deleteNamespacedRoleBinding({ name: bindings.items[0]!.metadata!.name!, namespace: own });
      });
      await record(member.user, 'list namespaces', 'denied', () => as.core.listNamespace());
      await record(member.user, 'create a namespace', 'denied', () =>
        as.core.createNamespace({ body: { metadata: { name: `x-${member.user}`.slice(0, 63) } } }),
      );
      await record(member.user, 'create a ClusterRole', 'denied', () =>
        as.rbac.createClusterRole({ body: { metadata: { name: `x-${member.user}` }, rules: [] } }),
      );
      await record(member.user, 'label own namespace', 'denied', () =>
        as.core.patchNamespace({ name: own, body: [{ op: 'add', path: '/metadata/labels/escape', value: 'true' }] }),
      );
    }

    const leaks = checks.filter((c) => c.actual !== c.expected);
    console.log(`isolation matrix: ${checks.length} checks, ${leaks.length} leaks`);
    expect(leaks).toEqual([]);
    expect(checks.length).toBeGreaterThan(400);
  });

  it('keeps a Space admin, who may manage members, off the bindings and policies Spacekit manages', async () => {
    const o = orgs[0]!;
    const ns = `${o}--t1--s1`;
    const boss = `admin-${suffix}`;
    await kit.spaces.update(
      { organization: o, tenant: 't1', name: 's1' },
      {
        members: [
          { kind: 'User', name: `dev-${o}-t1-s1`, role: 'developer' },
          { kind: 'User', name: boss, role: 'admin' },
        ],
      },
    );
    const as = clients(impersonating(admin, boss));
    await eventually('the admin binding', () => as.core.listNamespacedPod({ namespace: ns }));
    const managed = (
      await clients(admin).rbac.listNamespacedRoleBinding({ namespace: ns, labelSelector: 'app.kubernetes.io/managed-by=spacekit' })
    ).items;

    // An admin can add their own RoleBindings...
    await as.rbac.createNamespacedRoleBinding({
      namespace: ns,
      body: {
        metadata: { name: 'helper' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'spacekit-viewer' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'friend' }],
      },
    });
    // ...but not touch Spacekit's, nor its network policies, nor forge its label.
    const denied = async (request: Promise<unknown>) => expect(await outcome(request)).toBe('denied');
    await denied(as.rbac.deleteNamespacedRoleBinding({ name: managed[0]!.metadata!.name!, namespace: ns }));
    await denied(as.net.deleteNamespacedNetworkPolicy({ name: 'spacekit-default-deny', namespace: ns }));
    await denied(
      as.net.createNamespacedNetworkPolicy({
        namespace: ns,
        body: { metadata: { name: 'forged', labels: { 'app.kubernetes.io/managed-by': 'spacekit' } }, spec: { podSelector: {} } },
      }),
    );
    const message = await as.net
      .deleteNamespacedNetworkPolicy({ name: 'spacekit-allow-egress', namespace: ns })
      .catch((e: { body?: unknown }) => String(e.body));
    expect(message).toContain('is managed by Spacekit');
  });

  it('keeps even a user with cluster-wide namespace rights from changing or deleting a Spacekit namespace', async () => {
    const o = orgs[1]!;
    const operatorUser = `ns-editor-${suffix}`;
    const rbacAdmin = clients(admin).rbac;
    const name = `spacekit-test-ns-editor-${suffix}`;
    await rbacAdmin.createClusterRole({
      body: {
        metadata: { name },
        rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'patch', 'update', 'delete'] }],
      },
    });
    await rbacAdmin.createClusterRoleBinding({
      body: {
        metadata: { name },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: operatorUser }],
      },
    });
    try {
      const as = clients(impersonating(admin, operatorUser));
      await eventually('the namespace rights', () => as.core.listNamespace());
      const plain = uniqueName('plain');
      await clients(admin).core.createNamespace({ body: { metadata: { name: plain } } });
      // RBAC allows it, so an ordinary namespace can be changed...
      await as.core.patchNamespace({ name: plain, body: [{ op: 'add', path: '/metadata/labels/touched', value: 'yes' }] });
      // ...but a Space's cannot, whatever RBAC says.
      const spaceNs = `${o}--t2--s2`;
      const relabel = as.core.patchNamespace({ name: spaceNs, body: [{ op: 'remove', path: '/metadata/labels/spacekit.dev~1sandbox' }] });
      expect(await outcome(relabel)).toBe('denied');
      expect(await outcome(as.core.deleteNamespace({ name: spaceNs }))).toBe('denied');
      const message = await as.core.deleteNamespace({ name: spaceNs }).catch((e: { body?: unknown }) => String(e.body));
      expect(message).toContain('is managed by Spacekit');
      const still = await clients(admin).core.readNamespace({ name: spaceNs });
      expect(still.metadata?.labels?.['spacekit.dev/sandbox']).toBe('gvisor');
      expect(still.metadata?.deletionTimestamp).toBeUndefined();
      await clients(admin).core.deleteNamespace({ name: plain });
    } finally {
      await rbacAdmin.deleteClusterRoleBinding({ name });
      await rbacAdmin.deleteClusterRole({ name });
    }
  });
});
