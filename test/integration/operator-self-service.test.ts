import { ApiException, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { allocationsOf } from '../support/allocations.ts';
import { connect, ForbiddenError, KubeClient, QuotaExceededError, type Space, type Spacekit, type Tenant } from '@spacekit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKubeConfig, eventually, expectStatus, impersonating, uniqueName } from '../support/kube.ts';
import { adminKitWithOperator, SHARD_LABEL, type ShardOperator, startShardOperator } from '../support/operator.ts';

// Everything here belongs to one organization that only this file's operator looks after.
const shard = uniqueName('self');
const org = shard;
const admin = adminKubeConfig();
let kit: Spacekit;
let operator: ShardOperator;

const as = (user: string): KubeConfig => impersonating(admin, user);
const kitAs = (user: string) => connect({ kubeconfig: as(user) });
const spaceObject = (tenant: string, name: string, resources: Record<string, string>): Space => ({
  apiVersion: 'spacekit.dev/v1alpha1',
  kind: 'Space',
  metadata: { name, namespace: `${org}--${tenant}` },
  spec: { resources } as Space['spec'],
});

async function namespaceExists(name: string): Promise<boolean> {
  try {
    await admin.makeApiClient(CoreV1Api).readNamespace({ name });
    return true;
  } catch (err) {
    if (err instanceof ApiException && err.code === 404) return false;
    throw err;
  }
}

beforeAll(async () => {
  kit = await adminKitWithOperator();
  await kit.organizations.create({
    name: org,
    labels: { [SHARD_LABEL]: shard },
    resources: { cpu: 8, memory: '16Gi' },
    members: [{ kind: 'User', name: `olga-${shard}`, role: 'admin' }],
  });
  await kit.tenants.create({
    organization: org,
    name: 'payments',
    resources: { cpu: 3, memory: '6Gi' },
    members: [{ kind: 'User', name: `tina-${shard}`, role: 'admin' }],
  });
  await kit.tenants.create({
    organization: org,
    name: 'billing',
    resources: { cpu: 1, memory: '2Gi' },
    members: [{ kind: 'User', name: `bob-${shard}`, role: 'admin' }],
  });
  operator = await startShardOperator(shard);
});

afterAll(async () => {
  await kit?.organizations.delete(org).catch(() => undefined);
  expect(await operator?.shutdown()).toBe(0);
});

describe('self-service through the operator', () => {
  const tina = `tina-${shard}`;

  it('lets a tenant admin with no cluster rights create a Space object that the operator provisions', async () => {
    const ns = `${org}--payments--web`;
    await new KubeClient(as(tina)).create(spaceObject('payments', 'web', { cpu: '1', memory: '2Gi' }) as never);
    const space = await eventually('the Space to be Ready', async () => {
      const s = await (await kitAs(tina)).spaces.get({ organization: org, tenant: 'payments', name: 'web' });
      return s.status?.phase === 'Ready' ? s : undefined;
    });
    // What a tenant admin sees: status with conventional conditions, readable without any cluster right.
    const ready = space.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'True', reason: 'Provisioned', observedGeneration: space.metadata.generation });
    expect(Date.parse(ready?.lastTransitionTime ?? '')).not.toBeNaN();
    expect(space.status?.namespace).toBe(ns);
    expect(space.metadata.finalizers).toContain('spacekit.dev/cleanup');
    // What the operator made, read as the admin.
    const core = admin.makeApiClient(CoreV1Api);
    expect((await core.readNamespace({ name: ns })).metadata?.labels?.['spacekit.dev/sandbox']).toBe('gvisor');
    const quota = await core.readNamespacedResourceQuota({ name: 'spacekit-quota', namespace: ns });
    expect(quota.spec?.hard).toMatchObject({ 'requests.cpu': '1', 'requests.memory': '2Gi' });
    const policies = await new KubeClient(admin).list('networking.k8s.io/v1', 'NetworkPolicy', ns, 'app.kubernetes.io/managed-by=spacekit');
    expect(policies.map((p) => p.metadata.name).sort()).toEqual([
      'spacekit-allow-egress',
      'spacekit-allow-ingress-controller',
      'spacekit-allow-same-space',
      'spacekit-default-deny',
    ]);
    const bindings = await new KubeClient(admin).list(
      'rbac.authorization.k8s.io/v1',
      'RoleBinding',
      ns,
      'app.kubernetes.io/managed-by=spacekit',
    );
    expect(bindings.map((b) => (b as unknown as { subjects: { name: string }[] }).subjects[0]?.name)).toContain(tina);
    // The Space records its allocation and the tenant counts it, so the budget holds for every later request.
    expect((await allocationsOf(kit, { organization: org, tenant: 'payments' })).web).toEqual({
      'requests.cpu': '1',
      'requests.memory': '2Gi',
    });
  });

  it('refuses an over-budget Space object in status, precisely, and makes no namespace for it', async () => {
    await new KubeClient(as(tina)).create(spaceObject('payments', 'huge', { cpu: '5', memory: '1Gi' }) as never);
    const space = await eventually('the refusal in status', async () => {
      const s = await (await kitAs(tina)).spaces.get({ organization: org, tenant: 'payments', name: 'huge' });
      return s.status?.phase === 'Failed' ? s : undefined;
    });
    const ready = space.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'QuotaExceeded' });
    expect(ready?.message).toMatch(/asks for requests.cpu=5, but tenant .*\/payments has only 2 free of 3 \(held by space\/web \(1\)\)/);
    expect(space.status?.conditions?.find((c) => c.type === 'QuotaExceeded')?.status).toBe('True');
    expect(await namespaceExists(`${org}--payments--huge`)).toBe(false);
    expect((await allocationsOf(kit, { organization: org, tenant: 'payments' })).huge).toBeUndefined();
    await new KubeClient(as(tina)).delete(spaceObject('payments', 'huge', {}) as never);
  });

  it('gives the SDK the same self-service: create, resize and delete as a tenant admin, with typed refusals that change nothing', async () => {
    const mine = await kitAs(tina);
    const ref = { organization: org, tenant: 'payments', name: 'api' };
    const created = await mine.spaces.create({ ...ref, resources: { cpu: 1, memory: '1Gi' } });
    expect(created.status?.phase).toBe('Ready');

    const grown = await mine.spaces.update(ref, { resources: { cpu: 2, memory: '1Gi' } });
    expect(grown.status?.usage?.hard?.['requests.cpu']).toBe('2');

    // Over budget: refused before anything is written, with who holds what.
    const refused = await mine.spaces.create({ ...ref, name: 'extra', resources: { cpu: 1, memory: '1Gi' } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(QuotaExceededError);
    expect((refused as QuotaExceededError).free).toBe('0');
    expect((refused as QuotaExceededError).holders.map((h) => h.name).sort()).toEqual(['space/api', 'space/web']);
    await expect(kit.spaces.get({ ...ref, name: 'extra' })).rejects.toThrow(/does not exist/);

    // A resize past the budget changes nothing: spec, allocation and quota stay.
    const resize = await mine.spaces.update(ref, { resources: { cpu: 3, memory: '1Gi' } }).catch((e: unknown) => e);
    expect(resize).toBeInstanceOf(QuotaExceededError);
    const after = await kit.spaces.get(ref);
    expect(after.spec.resources).toEqual({ cpu: '2', memory: '1Gi' });
    expect(after.status?.usage?.hard?.['requests.cpu']).toBe('2');

    await mine.spaces.delete(ref);
    expect(await namespaceExists(`${org}--payments--api`)).toBe(false);
    expect((await allocationsOf(kit, { organization: org, tenant: 'payments' })).api).toBeUndefined();
  });

  it('lets an organization admin create and resize Tenants, within the organization budget', async () => {
    const olga = await kitAs(`olga-${shard}`);
    const tenant: Tenant = await olga.tenants.create({ organization: org, name: 'new', resources: { cpu: 2, memory: '2Gi' } });
    expect(tenant.status?.phase).toBe('Ready');
    expect(await namespaceExists(`${org}--new`)).toBe(true);
    const resized = await olga.tenants.update({ organization: org, name: 'new' }, { resources: { cpu: 3, memory: '2Gi' } });
    expect(resized.status?.usage?.hard?.['requests.cpu']).toBe('3');
    // 3 (payments) + 1 (billing) + 3 (new) of 8: one core is left.
    const refused = await olga.tenants
      .create({ organization: org, name: 'big', resources: { cpu: 2, memory: '1Gi' } })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(QuotaExceededError);
    expect((refused as Error).message).toMatch(/has only 1 free of 8/);
    await olga.tenants.delete({ organization: org, name: 'new' });
    expect(await namespaceExists(`${org}--new`)).toBe(false);
  });
});

describe('rights: nobody acts above their level or grants themselves budget', () => {
  const tina = () => as(`tina-${shard}`);
  const olga = () => as(`olga-${shard}`);
  const tenantPath = (name: string) => `/apis/spacekit.dev/v1alpha1/namespaces/${org}/tenants/${name}`;

  it('a tenant admin cannot create a Tenant, nor edit their Tenant budget or status', async () => {
    const denied = await (await kitAs(`tina-${shard}`)).tenants
      .create({ organization: org, name: 'mine', resources: { cpu: 1, memory: '1Gi' } })
      .catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(ForbiddenError);
    expect((denied as Error).message).toMatch(/forbidden/i);
    const client = new KubeClient(tina());
    const current = (await client.read({
      apiVersion: 'spacekit.dev/v1alpha1',
      kind: 'Tenant',
      metadata: { name: 'payments', namespace: org },
    })) as unknown as Tenant & { metadata: { name: string } };
    expect(current.spec.resources).toEqual({ cpu: '3', memory: '6Gi' });
    await expectStatus(client.replace({ ...current, spec: { ...current.spec, resources: { cpu: '8', memory: '16Gi' } } } as never), 403);
    await expectStatus(
      client.raw.request('PUT' as never, `${tenantPath('payments')}/status`, {
        body: { ...current, status: { usage: { hard: { 'requests.cpu': '8' } } } },
      }),
      403,
    );
  });

  it('a tenant admin cannot write status, touch another tenant, or reach above the tenant', async () => {
    const client = new KubeClient(tina());
    const web = await client.read({
      apiVersion: 'spacekit.dev/v1alpha1',
      kind: 'Space',
      metadata: { name: 'web', namespace: `${org}--payments` },
    });
    await expectStatus(
      client.raw.request('PUT' as never, `/apis/spacekit.dev/v1alpha1/namespaces/${org}--payments/spaces/web/status`, {
        body: { ...web, status: { phase: 'Ready' } },
      }),
      403,
    );
    // Another tenant's Spaces: neither read, nor create, nor delete.
    await expectStatus(client.raw.request('GET' as never, `/apis/spacekit.dev/v1alpha1/namespaces/${org}--billing/spaces`), 403);
    await expectStatus(client.create(spaceObject('billing', 'sneaky', { cpu: '1', memory: '1Gi' }) as never), 403);
    await expectStatus(
      client.raw.request('DELETE' as never, `/apis/spacekit.dev/v1alpha1/namespaces/${org}--billing/spaces/anything`),
      403,
    );
    // The organization and its other Tenants.
    await expectStatus(client.raw.request('GET' as never, `/apis/spacekit.dev/v1alpha1/organizations/${org}`), 403);
    await expectStatus(client.raw.request('GET' as never, tenantPath('billing')), 403);
  });

  it('an organization admin cannot change their Organization, nor create another', async () => {
    const client = new KubeClient(olga());
    const current = await client.read<{
      apiVersion: string;
      kind: string;
      metadata: { name: string };
      spec: { resources: Record<string, string> };
    }>({
      apiVersion: 'spacekit.dev/v1alpha1',
      kind: 'Organization',
      metadata: { name: org },
    });
    expect(current?.spec.resources).toEqual({ cpu: '8', memory: '16Gi' });
    await expectStatus(client.replace({ ...current!, spec: { ...current!.spec, resources: { cpu: '64', memory: '16Gi' } } }), 403);
    await expectStatus(
      client.create({ apiVersion: 'spacekit.dev/v1alpha1', kind: 'Organization', metadata: { name: uniqueName('mine') }, spec: {} }),
      403,
    );
    await expectStatus(
      client.raw.request('PUT' as never, `/apis/spacekit.dev/v1alpha1/organizations/${org}/status`, { body: current }),
      403,
    );
  });

  it('refuses Space objects outside a tenant namespace, and forged placement labels, even from an admin', async () => {
    const message = await expectStatus(
      new KubeClient(admin).create({
        ...spaceObject('payments', 'lost', { cpu: '1', memory: '1Gi' }),
        metadata: { name: 'lost', namespace: org },
      } as never),
      422,
    );
    expect(message).toMatch(/a Space belongs in its tenant's namespace/);
    const forged = { ...spaceObject('payments', 'forged', { cpu: '1', memory: '1Gi' }) };
    forged.metadata.labels = { 'spacekit.dev/tenant': 'billing' };
    expect(await expectStatus(new KubeClient(tina()).create(forged as never), 422)).toMatch(/must match the namespace/);
  });
});
