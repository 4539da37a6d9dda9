import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ApiextensionsV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { ensureControlPlaneBinary, type LocalCluster, startLocalCluster } from '@spacekit/local-cluster';
import { connect, NotInstalledError, type Spacekit } from '@spacekit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A control plane of its own: this file installs and uninstalls Spacekit, which the shared one must keep.
let cluster: LocalCluster;
let kit: Spacekit;

beforeAll(async () => {
  cluster = await startLocalCluster({ kubeconfig: null, nodes: 0 });
  kit = await connect({ kubeconfig: cluster.kubeconfigPath });
});

afterAll(async () => {
  await cluster?.stop();
});

describe('install and uninstall', () => {
  it('refuses every call before install() with a NotInstalledError that says what to run', async () => {
    const calls: [string, () => Promise<unknown>][] = [
      ['organizations.list', () => kit.organizations.list()],
      ['organizations.create', () => kit.organizations.create({ name: 'acme' })],
      ['tenants.get', () => kit.tenants.get({ organization: 'acme', name: 'web' })],
      ['spaces.create', () => kit.spaces.create({ organization: 'acme', tenant: 'web', name: 'dev' })],
    ];
    for (const [name, call] of calls) {
      const err = await call().catch((e: unknown) => e);
      expect(err, name).toBeInstanceOf(NotInstalledError);
      expect((err as Error).message, name).toContain('run `spacekit install`');
    }
  });

  it('installs idempotently, serves useful columns, and uninstalls without leftovers', async () => {
    const first = await kit.install();
    expect(first.changed).toEqual(
      expect.arrayContaining([
        'CustomResourceDefinition/spaces.spacekit.dev',
        'ClusterRole/spacekit-space-admin',
        'CustomResourceDefinition/spaceusages.spacekit.dev',
        'ClusterRoleBinding/spacekit-meter-coverage-reader',
        'RuntimeClass/gvisor',
        'MutatingAdmissionPolicy/spacekit-sandbox-runtime-class',
        'ValidatingAdmissionPolicy/spacekit-protect-managed',
      ]),
    );
    const second = await kit.install();
    expect(second.changed).toEqual([]);
    expect(second.unchanged).toHaveLength(first.changed.length);

    // The aggregated Space roles are filled from the built-in roles by the aggregation controller.
    const rbac = cluster.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
    const developer = await rbac.readClusterRole({ name: 'spacekit-developer' });
    expect(JSON.stringify(developer.rules)).toContain('deployments');

    await kit.organizations.create({ name: 'acme', resources: { cpu: 2, memory: '2Gi' } });
    await kit.tenants.create({ organization: 'acme', name: 'web', resources: { cpu: 1, memory: '1Gi' } });
    await kit.spaces.create({ organization: 'acme', tenant: 'web', name: 'dev', resources: { cpu: 1, memory: '1Gi' } });
    const binary = await ensureControlPlaneBinary();
    const { stdout } = await promisify(execFile)(binary.path, ['kubectl', '--kubeconfig', cluster.kubeconfigPath, 'get', 'spaces', '-A']);
    const [header, row] = stdout.trim().split('\n');
    expect(header?.split(/\s{2,}/)).toEqual(['NAMESPACE', 'NAME', 'PHASE', 'SPACE NAMESPACE', 'SANDBOX', 'READY', 'AGE']);
    expect(row?.split(/\s{2,}/).slice(0, 6)).toEqual(['acme--web', 'dev', 'Ready', 'acme--web--dev', 'gvisor', 'True']);

    await expect(kit.uninstall()).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('delete them first') });
    await kit.organizations.delete('acme');
    await kit.uninstall();

    const crds = await cluster.kubeConfig.makeApiClient(ApiextensionsV1Api).listCustomResourceDefinition();
    expect(crds.items.filter((c) => c.spec.group === 'spacekit.dev')).toEqual([]);
    const roles = await rbac.listClusterRole({ labelSelector: 'app.kubernetes.io/part-of=spacekit' });
    expect(roles.items).toEqual([]);
    // Including the binding that lets everyone read the meter's coverage (ADR 0017).
    expect((await rbac.listClusterRoleBinding({ labelSelector: 'app.kubernetes.io/part-of=spacekit' })).items).toEqual([]);
    await expect(kit.organizations.list()).rejects.toBeInstanceOf(NotInstalledError);
  });
});
