import { CoreV1Api } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { adminKubeConfig, uniqueName } from '../support/kube.ts';
import { adminKit } from '../support/spacekit.ts';
import { allocationsOf } from '../support/allocations.ts';

const core = adminKubeConfig().makeApiClient(CoreV1Api);

describe('organization → tenant → space lifecycle', () => {
  it('provisions a Space, re-applies it with zero writes, and deletes everything with the organization', async () => {
    const kit = await adminKit();
    const org = uniqueName('org');
    await kit.organizations.create({ name: org, resources: { cpu: 8, memory: '16Gi' } });
    await kit.tenants.create({ organization: org, name: 'payments', resources: { cpu: 4, memory: '8Gi' } });
    const space = await kit.spaces.create({ organization: org, tenant: 'payments', name: 'dev', resources: { cpu: 1, memory: '2Gi' } });

    expect(space.status?.phase).toBe('Ready');
    expect(space.status?.namespace).toBe(`${org}--payments--dev`);
    const ns = await core.readNamespace({ name: `${org}--payments--dev` });
    expect(ns.metadata?.labels).toMatchObject({ 'spacekit.dev/sandbox': 'gvisor', 'pod-security.kubernetes.io/enforce': 'restricted' });
    const quota = await core.readNamespacedResourceQuota({ name: 'spacekit-quota', namespace: `${org}--payments--dev` });
    expect(quota.spec?.hard).toMatchObject({ 'requests.cpu': '1', 'requests.memory': '2Gi', 'services.nodeports': '0' });

    const tenant = await kit.tenants.get({ organization: org, name: 'payments' });
    expect(await allocationsOf(kit, { organization: org, tenant: tenant.metadata.name })).toEqual({
      dev: { 'requests.cpu': '1', 'requests.memory': '2Gi' },
    });
    expect(tenant.status?.usage?.allocated).toEqual({ 'requests.cpu': '1', 'requests.memory': '2Gi' });

    const before = kit.writes;
    const again = await kit.spaces.reconcile({ organization: org, tenant: 'payments', name: 'dev' });
    expect({ created: again.apply.created, updated: again.apply.updated, pruned: again.apply.pruned }).toEqual({
      created: [],
      updated: [],
      pruned: [],
    });
    expect(again.apply.writes).toBe(0);
    expect(again.apply.unchanged.length).toBeGreaterThan(5);
    expect(again.statusWritten).toBe(false);
    expect(kit.writes - before).toBe(0);

    await kit.organizations.delete(org);
    for (const name of [org, `${org}--payments`, `${org}--payments--dev`]) {
      await expect(core.readNamespace({ name })).rejects.toMatchObject({ code: 404 });
    }
    await expect(kit.organizations.get(org)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('waits for readiness at every level, and deletes without waiting when asked', async () => {
    const kit = await adminKit();
    const org = uniqueName('org');
    await kit.organizations.create({ name: org, resources: { cpu: 2, memory: '2Gi' } });
    await kit.tenants.create({ organization: org, name: 'web', resources: { cpu: 1, memory: '1Gi' } });
    const ref = { organization: org, tenant: 'web', name: 'quick' };
    await kit.spaces.create({ ...ref, resources: { cpu: 1, memory: '1Gi' } });
    expect((await kit.organizations.waitReady(org)).status?.phase).toBe('Ready');
    expect((await kit.tenants.waitReady({ organization: org, name: 'web' })).status?.phase).toBe('Ready');
    const ready = await kit.spaces.waitReady(ref);
    expect(ready.status?.observedGeneration).toBe(ready.metadata.generation);

    await kit.spaces.delete(ref, { wait: false });
    // The budget is released at once, even while the namespace is still being emptied.
    expect(await allocationsOf(kit, { organization: org, tenant: 'web' })).toEqual({});
    await expect(kit.spaces.get(ref)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await kit.organizations.delete(org);
    await expect(core.readNamespace({ name: `${org}--web--quick` })).rejects.toMatchObject({ code: 404 });
  });
});
