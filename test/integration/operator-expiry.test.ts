import { ApiException, CoreV1Api } from '@kubernetes/client-node';
import { allocationsOf } from '../support/allocations.ts';
import { connect, KubeClient, type Spacekit } from '@spacekit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKubeConfig, eventually, impersonating, uniqueName } from '../support/kube.ts';
import { adminKitWithOperator, SHARD_LABEL, type ShardOperator, startShardOperator } from '../support/operator.ts';

const shard = uniqueName('expiry');
const org = shard;
const admin = adminKubeConfig();
const tina = `tina-${shard}`;
let kit: Spacekit;
let operator: ShardOperator;

async function gone(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return false;
  } catch (err) {
    if (err instanceof ApiException && err.code === 404) return true;
    if ((err as { code?: string }).code === 'NOT_FOUND') return true;
    throw err;
  }
}

beforeAll(async () => {
  kit = await adminKitWithOperator();
  await kit.organizations.create({ name: org, labels: { [SHARD_LABEL]: shard }, resources: { cpu: 4, memory: '8Gi' } });
  await kit.tenants.create({
    organization: org,
    name: 'ci',
    resources: { cpu: 4, memory: '8Gi' },
    members: [{ kind: 'User', name: tina, role: 'admin' }],
  });
  operator = await startShardOperator(shard);
});

afterAll(async () => {
  await kit?.organizations.delete(org).catch(() => undefined);
  expect(await operator?.shutdown()).toBe(0);
});

describe('ephemeral Spaces', () => {
  it('are deleted by the operator when their TTL runs out, and nothing is left of them', async () => {
    const ref = { organization: org, tenant: 'ci', name: 'run-1' };
    const space = await (await connect({ kubeconfig: impersonating(admin, tina) })).spaces.create({
      ...ref,
      ttl: '5s',
      resources: { cpu: 1, memory: '1Gi' },
    });
    expect(space.status?.phase).toBe('Ready');
    const expiresAt = Date.parse(space.status?.expiresAt ?? '');
    expect(expiresAt - Date.parse(space.metadata.creationTimestamp ?? '')).toBe(5_000);
    expect((await allocationsOf(kit, { organization: org, tenant: 'ci' }))['run-1']).toBeDefined();

    const core = admin.makeApiClient(CoreV1Api);
    await eventually('the expired Space to be gone', async () => ((await gone(() => kit.spaces.get(ref))) ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    // Deleted once it expired, not before.
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    await eventually('its namespace to be gone', async () =>
      (await gone(() => core.readNamespace({ name: `${org}--ci--run-1` }))) ? true : undefined,
    );
    expect((await allocationsOf(kit, { organization: org, tenant: 'ci' }))['run-1']).toBeUndefined();
    const events = await core.listNamespacedEvent({ namespace: `${org}--ci` });
    expect(events.items.some((e) => e.reason === 'Expired' && e.involvedObject.name === 'run-1')).toBe(true);
  });

  it('is never provisioned when it is written already expired', async () => {
    await new KubeClient(impersonating(admin, tina)).create({
      apiVersion: 'spacekit.dev/v1alpha1',
      kind: 'Space',
      metadata: { name: 'stale', namespace: `${org}--ci` },
      spec: { resources: { cpu: '1', memory: '1Gi' }, expiresAt: new Date(Date.now() - 60_000).toISOString() },
    });
    await eventually('the stale Space to be gone', async () =>
      (await gone(() => kit.spaces.get({ organization: org, tenant: 'ci', name: 'stale' }))) ? true : undefined,
    );
    expect(await gone(() => admin.makeApiClient(CoreV1Api).readNamespace({ name: `${org}--ci--stale` }))).toBe(true);
  });

  it('refuses a malformed TTL at the API server, for kubectl users too', async () => {
    const err = await new KubeClient(impersonating(admin, tina))
      .create({
        apiVersion: 'spacekit.dev/v1alpha1',
        kind: 'Space',
        metadata: { name: 'bad', namespace: `${org}--ci` },
        spec: { ttl: 'soon' },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiException);
    expect((err as ApiException<unknown>).code).toBe(422);
    expect(JSON.stringify((err as ApiException<unknown>).body)).toContain('spec.ttl');
  });
});
