import { CoreV1Api, CustomObjectsApi, NetworkingV1Api } from '@kubernetes/client-node';
import type { Spacekit } from '@spacekit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKubeConfig, eventually, uniqueName } from '../support/kube.ts';
import { adminKitWithOperator, SHARD_LABEL, type ShardOperator, quiescent, startShardOperator, writesByKind } from '../support/operator.ts';

const shard = uniqueName('drift');
const org = shard;
const ns = `${org}--team--dev`;
const admin = adminKubeConfig();
let kit: Spacekit;
let operator: ShardOperator;

// Watches end after 5 to 10 s instead of 5 to 10 minutes, so that the idle interval below can span
// re-watches and the bookmark the API server sends 2 s before each watch ends (its other bookmarks
// come a minute apart, longer than these watches last), without the test waiting for many minutes.
const WATCH_TIMEOUT_S = 5;
const IDLE_MS = 2 * (2 * WATCH_TIMEOUT_S * 1000) + 5_000;

beforeAll(async () => {
  kit = await adminKitWithOperator();
  await kit.organizations.create({ name: org, labels: { [SHARD_LABEL]: shard }, resources: { cpu: 4, memory: '8Gi' } });
  await kit.tenants.create({
    organization: org,
    name: 'team',
    resources: { cpu: 4, memory: '8Gi' },
    members: [{ kind: 'User', name: 'lead', role: 'admin' }],
  });
  await kit.spaces.create({
    organization: org,
    tenant: 'team',
    name: 'dev',
    resources: { cpu: 1, memory: '1Gi' },
    members: [{ kind: 'User', name: 'dev', role: 'developer' }],
  });
  operator = await startShardOperator(shard, { watchTimeout: `${WATCH_TIMEOUT_S}s` });
});

afterAll(async () => {
  await kit?.organizations.delete(org).catch(() => undefined);
  expect(await operator?.shutdown()).toBe(0);
});

/** Writes excluding the leader lease's heartbeat (this operator runs without leader election, so there is none). */
const total = (writes: Record<string, number>) =>
  Object.entries(writes).reduce((sum, [kind, n]) => (kind.startsWith('Lease ') ? sum : sum + n), 0);

describe('drift repair', () => {
  it('puts back a Spacekit NetworkPolicy deleted by hand, from the watch, and records why', async () => {
    const net = admin.makeApiClient(NetworkingV1Api);
    await net.deleteNamespacedNetworkPolicy({ name: 'spacekit-default-deny', namespace: ns });
    const back = await eventually(
      'the NetworkPolicy to come back',
      async () => {
        try {
          return await net.readNamespacedNetworkPolicy({ name: 'spacekit-default-deny', namespace: ns });
        } catch {
          return undefined;
        }
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(back.spec).toMatchObject({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const events = await admin.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace: `${org}--team` });
    const repaired = events.items.filter((e) => e.reason === 'DriftRepaired' && e.involvedObject.name === 'dev');
    expect(repaired.map((e) => e.message).join('\n')).toContain(`NetworkPolicy/${ns}/spacekit-default-deny`);
  });

  it("recounts a tenant's budget total edited by hand from what its Spaces record", async () => {
    const tenant = await kit.tenants.get({ organization: org, name: 'team' });
    const edited = { ...tenant.status?.usage, allocated: { 'requests.cpu': '3', 'requests.memory': '1Gi' } };
    await admin.makeApiClient(CustomObjectsApi).replaceNamespacedCustomObjectStatus({
      group: 'spacekit.dev',
      version: 'v1alpha1',
      plural: 'tenants',
      namespace: org,
      name: 'team',
      body: { ...tenant, status: { ...tenant.status, usage: edited } },
    });
    const repaired = await eventually(
      'the total recounted',
      async () => {
        const t = await kit.tenants.get({ organization: org, name: 'team' });
        return t.status?.usage?.allocated?.['requests.cpu'] === '1' ? t : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(repaired.status?.usage?.allocated).toEqual({ 'requests.cpu': '1', 'requests.memory': '1Gi' });
  });

  it('reverts a hand edit of the quota', async () => {
    const core = admin.makeApiClient(CoreV1Api);
    const quota = await core.readNamespacedResourceQuota({ name: 'spacekit-quota', namespace: ns });
    await core.replaceNamespacedResourceQuota({
      name: 'spacekit-quota',
      namespace: ns,
      body: { ...quota, spec: { hard: { ...quota.spec?.hard, 'requests.cpu': '64' } } },
    });
    const restored = await eventually(
      'the quota to be restored',
      async () => {
        const q = await core.readNamespacedResourceQuota({ name: 'spacekit-quota', namespace: ns });
        return q.spec?.hard?.['requests.cpu'] === '1' ? q : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(restored.spec?.hard?.['requests.memory']).toBe('1Gi');
  });
});

describe('steady state', () => {
  it('makes zero API writes over an idle interval that spans re-watches and bookmarks, and is still watching afterwards', async () => {
    await quiescent(operator);
    const before = await writesByKind(operator);
    // Longer than two of the longest watches: every informer watches again at least twice, and gets the
    // bookmark that precedes each end, so a write made on a re-watch, a bookmark or a relist shows up.
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const after = await writesByKind(operator);
    expect(total(after) - total(before), `writes during the idle interval: ${JSON.stringify({ before, after })}`).toBe(0);

    // It was idle, not dead: a change is still repaired.
    const core = admin.makeApiClient(CoreV1Api);
    await core.deleteNamespacedLimitRange({ name: 'spacekit-defaults', namespace: ns });
    await eventually(
      'the LimitRange to come back',
      async () => {
        try {
          return await core.readNamespacedLimitRange({ name: 'spacekit-defaults', namespace: ns });
        } catch {
          return undefined;
        }
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(total(await writesByKind(operator))).toBeGreaterThan(total(after));
  });
});
