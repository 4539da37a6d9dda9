import { CoreV1Api } from '@kubernetes/client-node';
import { connect, type Spacekit } from '@spacekit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CertificateUser, certificateUser } from '../support/client-certs.ts';
import { adminKubeConfig, expectStatus, uniqueName } from '../support/kube.ts';
import { adminKit } from '../support/spacekit.ts';

// What a member may do, asked of the API server, and a kubeconfig for the
// Space that each role can really use: users sign in with client
// certificates signed by the cluster, as on a real cluster.
const org = uniqueName('acc');
const web = { organization: org, tenant: 'team', name: 'web' };
const other = { organization: org, tenant: 'team', name: 'other' };
let kit: Spacekit;
const users: Record<'tina' | 'dave' | 'vera', CertificateUser> = {} as never;
const kits: Record<'tina' | 'dave' | 'vera', Spacekit> = {} as never;

beforeAll(async () => {
  kit = await adminKit();
  const admin = adminKubeConfig();
  for (const who of ['tina', 'dave', 'vera'] as const) users[who] = await certificateUser(admin, `${who}-${org}`);
  await kit.organizations.create({ name: org, resources: { cpu: 4, memory: '8Gi' } });
  await kit.tenants.create({
    organization: org,
    name: 'team',
    resources: { cpu: 4, memory: '8Gi' },
    members: [{ kind: 'User', name: users.tina.name, role: 'admin' }],
  });
  await kit.spaces.create({
    ...web,
    resources: { cpu: 1, memory: '1Gi' },
    members: [
      { kind: 'User', name: users.dave.name, role: 'developer' },
      { kind: 'User', name: users.vera.name, role: 'viewer' },
    ],
  });
  await kit.spaces.create({ ...other, resources: { cpu: 1, memory: '1Gi' } });
  for (const who of ['tina', 'dave', 'vera'] as const) kits[who] = await connect({ kubeconfig: users[who].kubeConfig });
});

afterAll(async () => {
  await kit?.organizations.delete(org);
});

describe('kit.access: what the caller may do, from the API server', () => {
  it('gives a tenant admin every Space action, and developers and viewers none', async () => {
    const space = { organization: org, tenant: 'team', space: 'web' };
    expect(await kits.tina.access.rights(space)).toMatchObject({
      updateSpace: true,
      deleteSpace: true,
      issueCredentials: true,
      incomplete: false,
    });
    expect((await kits.tina.access.rights({ organization: org, tenant: 'team' })).createSpace).toBe(true);
    for (const who of ['dave', 'vera'] as const) {
      expect(await kits[who].access.rights(space)).toEqual({
        createSpace: false,
        updateSpace: false,
        deleteSpace: false,
        issueCredentials: false,
        incomplete: false,
      });
      expect((await kits[who].access.rights({ organization: org, tenant: 'team' })).createSpace).toBe(false);
    }
  });

  it("agrees with what the server then does: a developer's refused delete is refused", async () => {
    await expectStatus(users.dave.kubeConfig.makeApiClient(CoreV1Api).deleteNamespace({ name: `${org}--team--web` }), 403);
    const refused = await kits.dave.spaces.delete(web, { wait: false }).catch((e: unknown) => e);
    expect((refused as Error).name).toBe('ForbiddenError');
    expect(await kit.spaces.get(web)).toBeDefined();
  });
});

describe('kit.spaces.kubeconfig: a kubeconfig for the Space, for every role', () => {
  it('is issued for a tenant admin, and works in that Space only', async () => {
    const result = await kits.tina.spaces.kubeconfig(web);
    expect(result.identity).toBe('issued');
    const core = result.kubeConfig.makeApiClient(CoreV1Api);
    expect((await core.listNamespacedPod({ namespace: `${org}--team--web` })).items).toEqual([]);
    await expectStatus(core.listNamespacedPod({ namespace: `${org}--team--other` }), 403);
  });

  it("is the developer's own identity with the Space as namespace: it works there, is refused elsewhere, and made nothing", async () => {
    const accounts = await kit.kubeConfig.makeApiClient(CoreV1Api).listNamespacedServiceAccount({ namespace: `${org}--team--web` });
    const result = await kits.dave.spaces.kubeconfig(web);
    expect(result.identity).toBe('own');
    const context = result.kubeConfig.getContextObject(result.kubeConfig.getCurrentContext());
    expect(context?.namespace).toBe(`${org}--team--web`);
    expect(result.kubeConfig.getContexts()).toHaveLength(1);
    expect(result.kubeConfig.getCurrentUser()?.certData).toBe(users.dave.kubeConfig.getCurrentUser()?.certData);
    const core = result.kubeConfig.makeApiClient(CoreV1Api);
    expect((await core.listNamespacedPod({ namespace: `${org}--team--web` })).items).toEqual([]);
    await expectStatus(core.listNamespacedPod({ namespace: `${org}--team--other` }), 403);
    const after = await kit.kubeConfig.makeApiClient(CoreV1Api).listNamespacedServiceAccount({ namespace: `${org}--team--web` });
    expect(after.items.map((a) => a.metadata?.name).sort()).toEqual(accounts.items.map((a) => a.metadata?.name).sort());
  });

  it('refuses to issue credentials for a viewer who asks for them, and makes nothing', async () => {
    const refused = await kits.vera.spaces.kubeconfig(web, { identity: 'issued', serviceAccount: 'vera-asked' }).catch((e: unknown) => e);
    expect((refused as Error).name).toBe('ForbiddenError');
    await expectStatus(
      kit.kubeConfig.makeApiClient(CoreV1Api).readNamespacedServiceAccount({ name: 'vera-asked', namespace: `${org}--team--web` }),
      404,
    );
    expect((await kits.vera.spaces.kubeconfig(web)).identity).toBe('own');
  });
});
