import { CoreV1Api, NetworkingV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { QuotaExceededError, type Spacekit } from '@spacekit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKubeConfig, uniqueName } from '../support/kube.ts';
import { adminKit } from '../support/spacekit.ts';
import { allocationsOf } from '../support/allocations.ts';

const kc = adminKubeConfig();
const core = kc.makeApiClient(CoreV1Api);
let kit: Spacekit;
const org = uniqueName('bud');

beforeAll(async () => {
  kit = await adminKit();
  await kit.organizations.create({ name: org, resources: { cpu: 10, memory: '20Gi' } });
});

afterAll(async () => {
  await kit.organizations.delete(org);
});

describe('nested budgets', () => {
  it("refuses a Space above the tenant's remaining budget with a precise error, and changes nothing", async () => {
    await kit.tenants.create({ organization: org, name: 'precise', resources: { cpu: 2, memory: '4Gi' } });
    await kit.spaces.create({ organization: org, tenant: 'precise', name: 'a', resources: { cpu: '1500m', memory: '1Gi' } });
    const err = await kit.spaces
      .create({ organization: org, tenant: 'precise', name: 'b', resources: { cpu: 1, memory: '1Gi' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuotaExceededError);
    expect(err).toMatchObject({ resource: 'requests.cpu', requested: '1', free: '500m', budget: '2', parent: `tenant ${org}/precise` });
    expect((err as QuotaExceededError).holders).toEqual([{ name: 'space/a', amount: '1500m' }]);
    expect(await allocationsOf(kit, { organization: org, tenant: 'precise' })).toEqual({
      a: { 'requests.cpu': '1500m', 'requests.memory': '1Gi' },
    });
    await expect(core.readNamespace({ name: `${org}--precise--b` })).rejects.toMatchObject({ code: 404 });
    await expect(kit.spaces.get({ organization: org, tenant: 'precise', name: 'b' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses to shrink a tenant below what its Spaces hold, and an organization below what its tenants hold', async () => {
    await kit.tenants.create({ organization: org, name: 'shrink', resources: { cpu: 2, memory: '2Gi' } });
    await kit.spaces.create({ organization: org, tenant: 'shrink', name: 'a', resources: { cpu: 1, memory: '1Gi' } });
    await expect(
      kit.tenants.update({ organization: org, name: 'shrink' }, { resources: { cpu: '999m', memory: '2Gi' } }),
    ).rejects.toMatchObject({
      code: 'QUOTA_EXCEEDED',
      resource: 'requests.cpu',
      message: expect.stringContaining('cannot shrink requests.cpu to 999m: its spaces hold 1'),
    });
    expect((await kit.tenants.get({ organization: org, name: 'shrink' })).spec.resources).toEqual({ cpu: '2', memory: '2Gi' });
    await expect(kit.organizations.update(org, { resources: { cpu: 1, memory: '20Gi' } })).rejects.toMatchObject({
      code: 'QUOTA_EXCEEDED',
      message: expect.stringContaining(`organization ${org} cannot shrink requests.cpu to 1`),
    });
    // Shrinking to exactly what is held is allowed.
    const shrunk = await kit.tenants.update({ organization: org, name: 'shrink' }, { resources: { cpu: 1, memory: '1Gi' } });
    expect(shrunk.spec.resources).toEqual({ cpu: '1', memory: '1Gi' });
  });

  it('lets exactly the Spaces that fit win when many race for the last of a budget', async () => {
    await kit.tenants.create({ organization: org, name: 'race', resources: { cpu: 3, memory: '3Gi' } });
    const contenders = Array.from({ length: 8 }, (_, i) => `s${i}`);
    const results = await Promise.allSettled(
      contenders.map((name) => kit.spaces.create({ organization: org, tenant: 'race', name, resources: { cpu: 1, memory: '1Gi' } })),
    );
    const winners = contenders.filter((_, i) => results[i]!.status === 'fulfilled');
    const losers = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as unknown);
    expect(winners).toHaveLength(3);
    expect(losers).toHaveLength(5);
    for (const loser of losers) expect(loser).toBeInstanceOf(QuotaExceededError);

    const tenant = await kit.tenants.get({ organization: org, name: 'race' });
    expect(Object.keys(await allocationsOf(kit, { organization: org, tenant: tenant.metadata.name })).sort()).toEqual(winners.sort());
    expect(tenant.status?.usage?.allocated).toEqual({ 'requests.cpu': '3', 'requests.memory': '3Gi' });
    const namespaces = await core.listNamespace({
      labelSelector: `spacekit.dev/organization=${org},spacekit.dev/tenant=race,spacekit.dev/level=space`,
    });
    expect(namespaces.items.map((n) => n.metadata?.labels?.['spacekit.dev/space']).sort()).toEqual(winners.sort());
  });

  it('serialises tenants racing for an organization budget the same way', async () => {
    const small = uniqueName('bud-race');
    await kit.organizations.create({ name: small, resources: { cpu: 2 } });
    try {
      const results = await Promise.allSettled(
        ['t0', 't1', 't2', 't3', 't4'].map((name) => kit.tenants.create({ organization: small, name, resources: { cpu: 1 } })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
      expect((await kit.organizations.get(small)).status?.usage?.allocated).toEqual({ 'requests.cpu': '2' });
    } finally {
      await kit.organizations.delete(small);
    }
  });
});

describe('budgets that change under a connection', () => {
  it('grants from a budget just grown, and does not refuse on a copy of the parent it held from before', async () => {
    const grown = uniqueName('grow');
    await kit.organizations.create({ name: grown, resources: { cpu: 2, memory: '2Gi' } });
    try {
      // This connection now holds the organization as it was when it reserved for t1: full.
      await kit.tenants.create({ organization: grown, name: 't1', resources: { cpu: 2, memory: '2Gi' } });
      await kit.organizations.update(grown, { resources: { cpu: 4, memory: '4Gi' } });
      const t2 = await kit.tenants.create({ organization: grown, name: 't2', resources: { cpu: 2, memory: '2Gi' } });
      expect(t2.status?.phase).toBe('Ready');
      // And a Space deleted frees its share for the next one, through the same connection.
      await kit.spaces.create({ organization: grown, tenant: 't1', name: 'a', resources: { cpu: 2, memory: '1Gi' } });
      await kit.spaces.delete({ organization: grown, tenant: 't1', name: 'a' });
      const b = await kit.spaces.create({ organization: grown, tenant: 't1', name: 'b', resources: { cpu: 2, memory: '1Gi' } });
      expect(b.status?.phase).toBe('Ready');
      expect(Object.keys(await allocationsOf(kit, { organization: grown, tenant: 't1' }))).toEqual(['b']);
    } finally {
      await kit.organizations.delete(grown);
    }
  });
});

describe('creating a name that exists', () => {
  it("is refused without touching the existing Space's allocation, even from a connection holding an older tenant", async () => {
    const other = await adminKit();
    await kit.tenants.create({ organization: org, name: 'names', resources: { cpu: 3, memory: '3Gi' } });
    // This connection now holds the tenant as it wrote it for p, before the other made x.
    await kit.spaces.create({ organization: org, tenant: 'names', name: 'p', resources: { cpu: 1, memory: '1Gi' } });
    await other.spaces.create({ organization: org, tenant: 'names', name: 'x', resources: { cpu: 2, memory: '1Gi' } });
    const err = await kit.spaces
      .create({ organization: org, tenant: 'names', name: 'x', resources: { cpu: 1, memory: '1Gi' } })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFLICT' });
    expect((err as Error).message).toMatch(/already exists; use update/);
    const allocations = await allocationsOf(kit, { organization: org, tenant: 'names' });
    expect(allocations?.x).toEqual({ 'requests.cpu': '2', 'requests.memory': '1Gi' });
    expect((await kit.spaces.get({ organization: org, tenant: 'names', name: 'x' })).spec.resources).toEqual({ cpu: '2', memory: '1Gi' });
  });
});

describe('idempotency and drift', () => {
  it('prunes the RoleBinding of a removed member, and repairs a deleted object on the next reconcile', async () => {
    await kit.tenants.create({ organization: org, name: 'drift', resources: { cpu: 1, memory: '1Gi' } });
    const ref = { organization: org, tenant: 'drift', name: 'app' };
    const ns = `${org}--drift--app`;
    await kit.spaces.create({
      ...ref,
      resources: { cpu: 1, memory: '1Gi' },
      members: [
        { kind: 'User', name: 'stays', role: 'developer' },
        { kind: 'User', name: 'leaves', role: 'developer' },
      ],
    });
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    const memberBindings = async () =>
      (await rbac.listNamespacedRoleBinding({ namespace: ns, labelSelector: 'app.kubernetes.io/managed-by=spacekit' })).items
        .map((b) => b.subjects?.[0]?.name)
        .sort();
    expect(await memberBindings()).toEqual(['leaves', 'stays']);

    const updated = await kit.spaces.update(ref, { members: [{ kind: 'User', name: 'stays', role: 'developer' }] });
    expect(await memberBindings()).toEqual(['stays']);
    // Fields the update left out keep their values.
    expect(updated.spec.resources).toEqual({ cpu: '1', memory: '1Gi' });

    const net = kc.makeApiClient(NetworkingV1Api);
    await net.deleteNamespacedNetworkPolicy({ name: 'spacekit-default-deny', namespace: ns });
    const repaired = await kit.spaces.reconcile(ref);
    expect(repaired.apply.created).toEqual([`NetworkPolicy/${ns}/spacekit-default-deny`]);
    expect(repaired.apply.writes).toBe(1);
    const policy = await net.readNamespacedNetworkPolicy({ name: 'spacekit-default-deny', namespace: ns });
    expect(policy.spec?.policyTypes).toEqual(['Ingress', 'Egress']);

    const steady = await kit.spaces.reconcile(ref);
    expect(steady.apply.writes).toBe(0);
    expect(steady.statusWritten).toBe(false);
  });
});

describe('deletion', () => {
  it('removes every namespace of an organization and leaves no cluster-scoped object behind', async () => {
    const doomed = uniqueName('bud-del');
    await kit.organizations.create({ name: doomed, resources: { cpu: 2, memory: '2Gi' } });
    await kit.tenants.create({ organization: doomed, name: 'a', resources: { cpu: 1, memory: '1Gi' } });
    await kit.tenants.create({ organization: doomed, name: 'b', resources: { cpu: 1, memory: '1Gi' } });
    await kit.spaces.create({ organization: doomed, tenant: 'a', name: 'x', resources: { cpu: 1, memory: '1Gi' } });
    await kit.spaces.create({ organization: doomed, tenant: 'b', name: 'y', resources: { cpu: '500m', memory: '512Mi' } });
    const selector = `spacekit.dev/organization=${doomed}`;
    expect((await core.listNamespace({ labelSelector: selector })).items).toHaveLength(5);

    await kit.organizations.delete(doomed);
    expect((await core.listNamespace({ labelSelector: selector })).items).toEqual([]);
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    expect((await rbac.listClusterRole({ labelSelector: selector })).items).toEqual([]);
    expect((await rbac.listClusterRoleBinding({ labelSelector: selector })).items).toEqual([]);
    await expect(kit.organizations.get(doomed)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
