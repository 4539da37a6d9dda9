import { CoreV1Api, NodeV1Api, type V1Pod } from '@kubernetes/client-node';
import type { Spacekit } from '@spacekit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKubeConfig, eventually, expectStatus, restrictedPod, uniqueName } from '../support/kube.ts';
import { adminKit } from '../support/spacekit.ts';

const core = adminKubeConfig().makeApiClient(CoreV1Api);
let kit: Spacekit;
const org = uniqueName('adm');
const ns = `${org}--team--default`;
const unsandboxedNs = `${org}--team--plain`;

beforeAll(async () => {
  kit = await adminKit();
  await kit.organizations.create({ name: org, resources: { cpu: 8, memory: '16Gi' }, policy: { allowUnsandboxed: true } });
  await kit.tenants.create({ organization: org, name: 'team', resources: { cpu: 4, memory: '8Gi' } });
  await kit.spaces.create({ organization: org, tenant: 'team', name: 'default', resources: { cpu: 1, memory: '1Gi', pods: 5 } });
  await kit.spaces.create({ organization: org, tenant: 'team', name: 'plain', resources: { cpu: 1, memory: '1Gi' }, sandbox: 'none' });
  for (const namespace of [ns, unsandboxedNs]) {
    await eventually(`default ServiceAccount in ${namespace}`, () => core.readNamespacedServiceAccount({ name: 'default', namespace }));
  }
});

afterAll(async () => {
  await kit.organizations.delete(org);
});

/** A pod that Pod Security `restricted` admits, changed by `mutate` to break one rule. */
function podBreaking(name: string, mutate: (pod: V1Pod) => void): V1Pod {
  const pod = restrictedPod(name);
  mutate(pod);
  return pod;
}

describe('Pod Security in a default Space', () => {
  const container = (pod: V1Pod) => pod.spec!.containers[0]!;
  const cases: [string, (pod: V1Pod) => void, string][] = [
    ['privileged', (p) => (container(p).securityContext = { privileged: true }), 'privileged'],
    ['host-path', (p) => (p.spec!.volumes = [{ name: 'host', hostPath: { path: '/etc' } }]), 'restricted volume types'],
    ['host-network', (p) => (p.spec!.hostNetwork = true), 'host namespaces'],
    ['host-pid', (p) => (p.spec!.hostPID = true), 'host namespaces'],
    ['host-ipc', (p) => (p.spec!.hostIPC = true), 'host namespaces'],
    [
      'add-caps',
      (p) => (container(p).securityContext = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } }),
      'unrestricted capabilities',
    ],
    [
      'escalation',
      (p) => (container(p).securityContext = { allowPrivilegeEscalation: true, capabilities: { drop: ['ALL'] } }),
      'allowPrivilegeEscalation != false',
    ],
  ];
  it.each(cases)('refuses a pod with %s', async (name, mutate, rule) => {
    const message = await expectStatus(core.createNamespacedPod({ namespace: ns, body: podBreaking(name, mutate) }), 403);
    expect(message).toContain('violates PodSecurity "restricted:latest"');
    expect(message).toContain(rule);
  });

  it('refuses a NodePort Service through the quota', async () => {
    const message = await expectStatus(
      core.createNamespacedService({
        namespace: ns,
        body: { metadata: { name: 'exposed' }, spec: { type: 'NodePort', selector: { app: 'x' }, ports: [{ port: 80 }] } },
      }),
      403,
    );
    expect(message).toContain('exceeded quota: spacekit-quota');
    expect(message).toContain('services.nodeports');
  });
});

describe('gVisor sandboxing', () => {
  it('admits a pod without runtimeClassName in a sandboxed Space, with gvisor set', async () => {
    const pod = await core.createNamespacedPod({ namespace: ns, body: restrictedPod('sandboxed') });
    expect(pod.spec?.runtimeClassName).toBe('gvisor');
  });

  it('refuses a pod that asks for another runtime class, saying what to do', async () => {
    await admin()
      .createRuntimeClass({ body: { metadata: { name: 'runc' }, handler: 'runc' } })
      .catch((err: { code?: number }) => {
        if (err.code !== 409) throw err;
      });
    const pod = restrictedPod('escape');
    pod.spec!.runtimeClassName = 'runc';
    const message = await expectStatus(core.createNamespacedPod({ namespace: ns, body: pod }), 403);
    expect(message).toContain('this pod asks for runtimeClassName "runc"');
    expect(message).toContain('remove spec.runtimeClassName or set it to "gvisor"');
  });

  it('leaves a Space with sandbox none alone', async () => {
    const pod = await core.createNamespacedPod({ namespace: unsandboxedNs, body: restrictedPod('plain') });
    expect(pod.spec?.runtimeClassName).toBeUndefined();
  });
});

describe('quota and container defaults', () => {
  it('refuses a pod over the Space quota', async () => {
    const big = restrictedPod('too-big', { resources: { requests: { cpu: '2', memory: '64Mi' }, limits: { cpu: '2', memory: '64Mi' } } });
    const message = await expectStatus(core.createNamespacedPod({ namespace: ns, body: big }), 403);
    expect(message).toContain('exceeded quota: spacekit-quota, requested: requests.cpu=2');
  });

  it('gives a pod that declares no resources the LimitRange defaults', async () => {
    const pod = await core.createNamespacedPod({ namespace: ns, body: restrictedPod('defaults') });
    expect(pod.spec?.containers[0]?.resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    });
  });
});

function admin() {
  return adminKubeConfig().makeApiClient(NodeV1Api);
}
