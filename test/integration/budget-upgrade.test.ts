import { CustomObjectsApi } from '@kubernetes/client-node';
import type { Space, Spacekit, Tenant } from '@spacekit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocationsOf } from '../support/allocations.ts';
import { adminKubeConfig, uniqueName } from '../support/kube.ts';
import { adminKit } from '../support/spacekit.ts';

// A tenant written by the first design (ADR 0003: every Space's allocation in the tenant's
// status.allocations, nothing in the Spaces) is moved to ADR 0015's on first touch, exactly.
const custom = adminKubeConfig().makeApiClient(CustomObjectsApi);
const org = uniqueName('upgrade');
const tenantNs = `${org}--ci`;
let kit: Spacekit;

const group = { group: 'spacekit.dev', version: 'v1alpha1' };

async function replaceStatus<T extends Space | Tenant>(plural: string, namespace: string, object: T, status: T['status']): Promise<void> {
  await custom.replaceNamespacedCustomObjectStatus({
    ...group,
    plural,
    namespace,
    name: object.metadata.name,
    body: { ...object, status },
  });
}

beforeAll(async () => {
  kit = await adminKit();
  await kit.organizations.create({ name: org, resources: { cpu: 8, memory: '8Gi' } });
  await kit.tenants.create({ organization: org, name: 'ci', resources: { cpu: 4, memory: '4Gi' } });
  for (const name of ['a', 'b']) await kit.spaces.create({ organization: org, tenant: 'ci', name, resources: { cpu: 1, memory: '1Gi' } });
});

afterAll(async () => {
  await kit.organizations.delete(org);
});

describe('a ledger of the first design', () => {
  it('is moved into the Spaces on the next change, with an entry whose Space never came kept as a reservation', async () => {
    // Rewrite the cluster as the first design left it: the Spaces record nothing, the tenant lists them,
    // plus 'lost', a create that crashed after reserving.
    for (const space of await kit.spaces.list({ organization: org, tenant: 'ci' })) {
      const { allocation: _, allocationId: __, ...rest } = space.status ?? {};
      await replaceStatus('spaces', tenantNs, space, rest);
    }
    const tenant = await kit.tenants.get({ organization: org, name: 'ci' });
    const one = { 'requests.cpu': '1', 'requests.memory': '1Gi' };
    const { reservations: _, ...status } = tenant.status ?? {};
    await replaceStatus('tenants', org, tenant, {
      ...status,
      allocations: { a: one, b: one, lost: one },
      usage: { ...status.usage, allocated: { 'requests.cpu': '3', 'requests.memory': '3Gi' } },
    });
    expect(await allocationsOf(kit, { organization: org, tenant: 'ci' })).toEqual({});

    // The next create moves it, and is checked against the moved total: 4 - 3 leaves exactly 1.
    await expect(
      kit.spaces.create({ organization: org, tenant: 'ci', name: 'big', resources: { cpu: '1500m', memory: '1Gi' } }),
    ).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED', free: '1' });
    await kit.spaces.create({ organization: org, tenant: 'ci', name: 'c', resources: { cpu: 1, memory: '1Gi' } });

    const moved = await kit.tenants.get({ organization: org, name: 'ci' });
    expect(moved.status?.allocations).toBeUndefined();
    expect(await allocationsOf(kit, { organization: org, tenant: 'ci' })).toEqual({ a: one, b: one, c: one });
    expect(moved.status?.usage?.allocated).toEqual({ 'requests.cpu': '4', 'requests.memory': '4Gi' });
    expect(Object.keys(moved.status?.reservations ?? {})).toEqual(['lost']);
    expect(moved.status?.reservations?.lost).toMatchObject({ kind: 'change', grow: one, target: one });

    // A create of the lost name takes its place, counted once.
    await kit.spaces.delete({ organization: org, tenant: 'ci', name: 'c' });
    await kit.spaces.create({ organization: org, tenant: 'ci', name: 'lost', resources: { cpu: '500m', memory: '512Mi' } });
    const after = await kit.tenants.get({ organization: org, name: 'ci' });
    expect(after.status?.reservations).toBeUndefined();
    expect(after.status?.usage?.allocated).toEqual({ 'requests.cpu': '2500m', 'requests.memory': '2560Mi' });
  });
});
