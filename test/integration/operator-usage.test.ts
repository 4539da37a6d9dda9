import { AppsV1Api } from '@kubernetes/client-node';
import { connect, parseQuantity, parseResourceList, type Spacekit, type UsageSnapshot } from '@spacekit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKubeConfig, eventually, impersonating, uniqueName, webDeployment } from '../support/kube.ts';
import { adminKitWithOperator, SHARD_LABEL, type ShardOperator, scrape, startShardOperator } from '../support/operator.ts';

const shard = uniqueName('usage');
const org = shard;
const admin = adminKubeConfig();
const tina = `tina-${shard}`;
const dev = `dev-${shard}`;
let kit: Spacekit;
let operator: ShardOperator;

const cpu = (list: Record<string, string | number> | undefined) => parseResourceList(list ?? {}).get('requests.cpu') ?? 0n;

beforeAll(async () => {
  kit = await adminKitWithOperator();
  await kit.organizations.create({ name: org, labels: { [SHARD_LABEL]: shard }, resources: { cpu: 8, memory: '16Gi' } });
  await kit.tenants.create({
    organization: org,
    name: 'payments',
    resources: { cpu: 4, memory: '8Gi' },
    members: [{ kind: 'User', name: tina, role: 'admin' }],
  });
  await kit.tenants.create({ organization: org, name: 'billing', resources: { cpu: 2, memory: '2Gi' } });
  await kit.spaces.create({
    organization: org,
    tenant: 'payments',
    name: 'web',
    resources: { cpu: 2, memory: '4Gi' },
    members: [{ kind: 'User', name: dev, role: 'developer' }],
  });
  await kit.spaces.create({ organization: org, tenant: 'billing', name: 'jobs', resources: { cpu: 1, memory: '1Gi' } });
  operator = await startShardOperator(shard);
});

afterAll(async () => {
  await kit?.organizations.delete(org).catch(() => undefined);
  expect(await operator?.shutdown()).toBe(0);
});

describe('live usage at every level', () => {
  it("carries a Deployment's requests into the Space, then the Tenant and the Organization, and the watch yields the change", async () => {
    // The tenant admin watches their tenant: no right to list namespaces, only their Tenant and its Spaces.
    const tenantKit = await connect({ kubeconfig: impersonating(admin, tina) });
    const seen: UsageSnapshot[] = [];
    const stop = new AbortController();
    const watching = (async () => {
      for await (const snapshot of tenantKit.usage.watch({ organization: org, tenant: 'payments' }, { signal: stop.signal })) {
        seen.push(snapshot);
        // The quota counts each pod as it is admitted, so the two replicas may show up in two snapshots.
        if (cpu(snapshot.root.used) >= 200n) return snapshot;
      }
      return undefined;
    })();
    await eventually('the first snapshot', async () => (seen.length > 0 ? true : undefined));
    expect(cpu(seen[0]?.root.used)).toBe(0n);
    expect(seen[0]?.root.children.map((c) => c.name)).toEqual(['web']);

    // A developer deploys 2 replicas; each container gets the Space's default request of 100m cpu.
    const deployment = webDeployment(2);
    await impersonating(admin, dev)
      .makeApiClient(AppsV1Api)
      .createNamespacedDeployment({ namespace: `${org}--payments--web`, body: deployment });

    const changed = await watching;
    stop.abort();
    expect(cpu(changed?.root.used)).toBe(200n);
    expect(cpu(changed?.root.children[0]?.used)).toBe(200n);
    // On the way, usage only grew: one pod, then the other.
    const steps = seen.map((s) => cpu(s.root.used));
    expect(steps).toEqual([...steps].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

    // The same numbers in every level's status, which is what users without namespace rights read.
    const space = await kit.spaces.get({ organization: org, tenant: 'payments', name: 'web' });
    expect(cpu(space.status?.usage?.used)).toBe(200n);
    const tenant = await eventually('the tenant usage', async () => {
      const t = await kit.tenants.get({ organization: org, name: 'payments' });
      return cpu(t.status?.usage?.used) === 200n ? t : undefined;
    });
    expect(tenant.status?.usage?.allocated).toEqual({ 'requests.cpu': '2', 'requests.memory': '4Gi' });
    expect(tenant.status?.usage?.hard).toEqual({ 'requests.cpu': '4', 'requests.memory': '8Gi' });
    const organization = await eventually('the organization usage', async () => {
      const o = await kit.organizations.get(org);
      return cpu(o.status?.usage?.used) === 200n ? o : undefined;
    });
    expect(organization.status?.usage?.allocated).toEqual({ 'requests.cpu': '6', 'requests.memory': '10Gi' });
    // And a snapshot at organization scope sums the same.
    const snapshot = await kit.usage.snapshot({ organization: org });
    expect(cpu(snapshot.root.used)).toBe(200n);
    expect(snapshot.root.children.map((c) => c.name)).toEqual(['billing', 'payments']);
  });

  it('refuses a watch the caller may not read, with a typed error', async () => {
    const tenantKit = await connect({ kubeconfig: impersonating(admin, tina) });
    const attempt = (async () => {
      for await (const snapshot of tenantKit.usage.watch({ organization: org, tenant: 'billing' })) return snapshot;
      return undefined;
    })();
    await expect(attempt).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('Prometheus metrics', () => {
  it("serves quota gauges that match every level's status, plus reconcile and queue metrics", async () => {
    // Wait until the operator has recorded the deployment's usage everywhere.
    await eventually('usage in the organization status', async () =>
      cpu((await kit.organizations.get(org)).status?.usage?.used) === 200n ? true : undefined,
    );
    const samples = await eventually('gauges for the organization', async () => {
      const all = await scrape(operator);
      const used = all.find(
        (s) =>
          s.name === 'spacekit_quota_used' &&
          s.labels.level === 'organization' &&
          s.labels.organization === org &&
          s.labels.resource === 'requests.cpu',
      );
      return used?.value === 0.2 ? all : undefined;
    });
    const gauge = (name: string, labels: Record<string, string>) =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

    const objects = [
      { level: 'organization', labels: { organization: org, tenant: '', space: '' }, status: (await kit.organizations.get(org)).status },
      {
        level: 'tenant',
        labels: { organization: org, tenant: 'payments', space: '' },
        status: (await kit.tenants.get({ organization: org, name: 'payments' })).status,
      },
      {
        level: 'tenant',
        labels: { organization: org, tenant: 'billing', space: '' },
        status: (await kit.tenants.get({ organization: org, name: 'billing' })).status,
      },
      {
        level: 'space',
        labels: { organization: org, tenant: 'payments', space: 'web' },
        status: (await kit.spaces.get({ organization: org, tenant: 'payments', name: 'web' })).status,
      },
    ];
    let compared = 0;
    for (const { level, labels, status } of objects) {
      for (const field of ['hard', 'used', 'allocated'] as const) {
        for (const [resource, value] of Object.entries(status?.usage?.[field] ?? {})) {
          const expected = Number(parseQuantity(value)) / 1000;
          expect(
            gauge(`spacekit_quota_${field}`, { level, ...labels, resource }),
            `${field} ${resource} of ${level} ${JSON.stringify(labels)}`,
          ).toBe(expected);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(15);

    expect(samples.some((s) => s.name === 'spacekit_reconcile_total' && s.labels.kind === 'Space' && s.value > 0)).toBe(true);
    expect(samples.some((s) => s.name === 'spacekit_reconcile_duration_seconds_count' && s.labels.kind === 'Tenant' && s.value > 0)).toBe(
      true,
    );
    expect(samples.find((s) => s.name === 'spacekit_queue_depth')?.value).toBeGreaterThanOrEqual(0);
    expect(samples.some((s) => s.name === 'process_resident_memory_bytes' && s.value > 0)).toBe(true);
  });
});
