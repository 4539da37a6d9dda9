import { ApiException, CoreV1Api } from '@kubernetes/client-node';
import { allocationsOf } from '../support/allocations.ts';
import { KubeClient, type Space, type Spacekit } from '@spacekit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetSnapshot, budgetViolations, monitorBudgets, totalMismatches } from '../support/budget-invariants.ts';
import { adminKubeConfig, eventually, impersonating, uniqueName } from '../support/kube.ts';
import { adminKitWithOperator, type OperatorProcess, operatorKubeconfig, scrape, startOperator } from '../support/operator.ts';

const shard = uniqueName('crash');
const org = shard;
const SHARD_LABEL = 'e2e.spacekit.example/shard';
const admin = adminKubeConfig();
const tina = `tina-${shard}`;
const tenantNs = `${org}--ci`;
let kit: Spacekit;
let kubeconfig: { path: string; remove(): void };
const operators: OperatorProcess[] = [];

const names = Array.from({ length: 10 }, (_, i) => `s${String(i).padStart(2, '0')}`);
const start = async (extra: { leaderElect?: boolean; identity?: string } = {}) => {
  const operator = await startOperator({ kubeconfigPath: kubeconfig.path, organizationSelector: `${SHARD_LABEL}=${shard}`, ...extra });
  operators.push(operator);
  return operator;
};

async function spaces(): Promise<Space[]> {
  return kit.spaces.list({ organization: org, tenant: 'ci' });
}

async function namespaceExists(name: string): Promise<boolean> {
  try {
    await admin.makeApiClient(CoreV1Api).readNamespace({ name });
    return true;
  } catch (err) {
    if (err instanceof ApiException && err.code === 404) return false;
    throw err;
  }
}

/** The names of the Spacekit objects in a Space's namespace, by kind. */
async function owned(namespace: string): Promise<string[]> {
  const client = new KubeClient(admin);
  const kinds: [string, string][] = [
    ['v1', 'ResourceQuota'],
    ['v1', 'LimitRange'],
    ['networking.k8s.io/v1', 'NetworkPolicy'],
    ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
  ];
  const lists = await Promise.all(
    kinds.map(([apiVersion, kind]) => client.list(apiVersion, kind, namespace, 'app.kubernetes.io/managed-by=spacekit')),
  );
  return lists
    .flat()
    .map((o) => `${o.kind}/${o.metadata.name}`)
    .sort();
}

/**
 * Once the operator is done: every recorded total equals what the children that exist hold (Space quotas,
 * tenant grants), and no parent's children hold more than its budget.
 */
async function expectConvergedBudgets(): Promise<void> {
  const snapshot = await eventually('the recorded totals to match the children', async () => {
    const s = await budgetSnapshot(admin, org);
    return totalMismatches(s).length === 0 ? s : undefined;
  });
  expect(budgetViolations(snapshot)).toEqual([]);
}

beforeAll(async () => {
  kit = await adminKitWithOperator();
  await kit.organizations.create({ name: org, labels: { [SHARD_LABEL]: shard }, resources: { cpu: 8, memory: '16Gi' } });
  await kit.tenants.create({
    organization: org,
    name: 'ci',
    resources: { cpu: 6, memory: '6Gi' },
    members: [{ kind: 'User', name: tina, role: 'admin' }],
  });
  kubeconfig = await operatorKubeconfig(admin);
});

afterAll(async () => {
  await Promise.all(operators.map((o) => o.stop()));
  await kit?.organizations.delete(org).catch(() => undefined);
  kubeconfig?.remove();
});

describe('an operator killed mid-reconcile', () => {
  it('converges after a restart with nothing lost or duplicated, and with the same winners', async () => {
    // Ten Space objects for a budget of six, written while no operator runs, oldest first.
    const client = new KubeClient(impersonating(admin, tina));
    for (const name of names) {
      await client.create({
        apiVersion: 'spacekit.dev/v1alpha1',
        kind: 'Space',
        metadata: { name, namespace: tenantNs },
        spec: { resources: { cpu: '1', memory: '512Mi' } },
      } as never);
    }

    // Throughout the crash and the recovery, no parent's children hold more than its budget.
    const monitor = monitorBudgets(admin, org);
    const first = await start();
    await eventually(
      'some namespaces to exist',
      async () => ((await Promise.all(names.map((n) => namespaceExists(`${tenantNs}--${n}`)))).some(Boolean) ? true : undefined),
      {
        intervalMs: 20,
      },
    );
    await first.kill();
    const madeBeforeCrash = (await Promise.all(names.map((n) => namespaceExists(`${tenantNs}--${n}`)))).filter(Boolean).length;

    await start();
    const settled = await eventually('every Space decided', async () => {
      const list = await spaces();
      return list.length === 10 && list.every((s) => s.status?.phase === 'Ready' || s.status?.phase === 'Failed') ? list : undefined;
    });
    const checked = await monitor.stop();
    expect(checked.violations).toEqual([]);
    expect(checked.snapshots).toBeGreaterThan(1);
    await expectConvergedBudgets();
    const ready = settled
      .filter((s) => s.status?.phase === 'Ready')
      .map((s) => s.metadata.name)
      .sort();
    const refused = settled
      .filter((s) => s.status?.phase === 'Failed')
      .map((s) => s.metadata.name)
      .sort();
    // Oldest first, then by name: the same six win whatever the crash interrupted.
    expect(ready).toEqual(names.slice(0, 6));
    expect(refused).toEqual(names.slice(6));
    for (const s of settled.filter((x) => x.status?.phase === 'Failed')) {
      expect(s.status?.conditions?.find((c) => c.type === 'Ready')?.reason).toBe('QuotaExceeded');
    }

    // The ledger holds exactly the winners, once each, and adds up to the budget.
    const tenant = await kit.tenants.get({ organization: org, name: 'ci' });
    expect(Object.keys(await allocationsOf(kit, { organization: org, tenant: 'ci' })).sort()).toEqual(ready);
    expect(tenant.status?.usage?.allocated).toEqual({ 'requests.cpu': '6', 'requests.memory': '3Gi' });
    // Every winner has exactly its objects (its tenant admin is a Space admin there); no loser has a namespace.
    const expected = [
      'LimitRange/spacekit-defaults',
      'NetworkPolicy/spacekit-allow-egress',
      'NetworkPolicy/spacekit-allow-ingress-controller',
      'NetworkPolicy/spacekit-allow-same-space',
      'NetworkPolicy/spacekit-default-deny',
      'ResourceQuota/spacekit-quota',
      'RoleBinding/spacekit-space-admin-*',
    ];
    for (const name of ready) expect((await owned(`${tenantNs}--${name}`)).map((o) => o.replace(/-[0-9a-f]{10}$/, '-*'))).toEqual(expected);
    for (const name of refused) expect(await namespaceExists(`${tenantNs}--${name}`)).toBe(false);
    expect(madeBeforeCrash).toBeLessThanOrEqual(6);
  });

  it('finishes deletions it was killed in the middle of, and gives the freed budget to the next in line', async () => {
    const client = new KubeClient(impersonating(admin, tina));
    const current = operators.at(-1)!;
    for (const name of ['s00', 's01', 's02'])
      await client.delete({ apiVersion: 'spacekit.dev/v1alpha1', kind: 'Space', metadata: { name, namespace: tenantNs } });
    await current.kill();
    await start();
    const settled = await eventually('the deletions done and the freed budget used', async () => {
      const list = await spaces();
      const ready = list
        .filter((s) => s.status?.phase === 'Ready' && !s.metadata.deletionTimestamp)
        .map((s) => s.metadata.name)
        .sort();
      return list.length === 7 && ready.length === 6 ? { list, ready } : undefined;
    });
    expect(settled.ready).toEqual(['s03', 's04', 's05', 's06', 's07', 's08']);
    expect(settled.list.find((s) => s.metadata.name === 's09')?.status?.phase).toBe('Failed');
    for (const name of ['s00', 's01', 's02']) {
      await eventually(`namespace of ${name} to be gone`, async () => ((await namespaceExists(`${tenantNs}--${name}`)) ? undefined : true));
    }
    expect(Object.keys(await allocationsOf(kit, { organization: org, tenant: 'ci' })).sort()).toEqual(settled.ready);
    // Nothing counted twice and nothing held by a Space that is gone: the total is the winners' sum, with nothing in flight.
    await eventually('the tenant to settle every reservation', async () => {
      const tenant = await kit.tenants.get({ organization: org, name: 'ci' });
      return Object.keys(tenant.status?.reservations ?? {}).length === 0 ? tenant : undefined;
    }).then((tenant) => expect(tenant.status?.usage?.allocated).toEqual({ 'requests.cpu': '6', 'requests.memory': '3Gi' }));
    await expectConvergedBudgets();
  });
});

describe('two replicas with leader election', () => {
  it('lets exactly one lead; when it dies the other takes over and provisions', async () => {
    for (const o of operators.splice(0)) await o.stop();
    const a = await start({ leaderElect: true, identity: `a-${shard}` });
    const b = await start({ leaderElect: true, identity: `b-${shard}` });
    const leaderOf = async (o: OperatorProcess) => (await scrape(o)).find((s) => s.name === 'spacekit_leader')?.value ?? 0;
    const leader = await eventually('a leader', async () => {
      const [la, lb] = await Promise.all([leaderOf(a), leaderOf(b)]);
      return la + lb === 1 ? (la === 1 ? a : b) : undefined;
    });
    const standby = leader === a ? b : a;
    expect(await leaderOf(standby)).toBe(0);

    const client = new KubeClient(impersonating(admin, tina));
    const write = (name: string) =>
      client.create({
        apiVersion: 'spacekit.dev/v1alpha1',
        kind: 'Space',
        metadata: { name, namespace: tenantNs },
        spec: { resources: { cpu: '0', memory: '0' } },
      } as never);
    await write('led-1');
    await eventually('led-1 Ready', async () =>
      (await kit.spaces.get({ organization: org, tenant: 'ci', name: 'led-1' })).status?.phase === 'Ready' ? true : undefined,
    );
    expect(standby.logged('reconciled')).toHaveLength(0);

    await leader.kill();
    await write('led-2');
    // The standby takes over once the dead leader's lease expires (15 s by default), then provisions.
    await eventually('the standby to lead', async () => ((await leaderOf(standby)) === 1 ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    await eventually('led-2 Ready', async () =>
      (await kit.spaces.get({ organization: org, tenant: 'ci', name: 'led-2' })).status?.phase === 'Ready' ? true : undefined,
    );
    expect(standby.logged('reconciled').some((l) => String(l.key).endsWith('/led-2'))).toBe(true);
  });
});
