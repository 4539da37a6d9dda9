// What a pod in a Space observes on the local cluster's real node: the kernel
// it runs on (gVisor's or the host's), the cgroup limits its container got
// from the Space's LimitRange, and the quota that refuses one replica too many.
import { release } from 'node:os';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { Spacekit } from '@spacekit/sdk';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminKubeConfig, eventually, uniqueName } from '../support/kube.ts';
import { cgroupOf, kernelOf, probePodSpec, runProbes } from '../support/probe.ts';
import { adminKit } from '../support/spacekit.ts';

const admin = adminKubeConfig();
const nodes = inject('realNodes');
const hasNode = nodes.length > 0;
const org = uniqueName('pods');
let kit: Spacekit;

describe.runIf(hasNode)(`pods in Spaces on the real node${hasNode ? '' : ` (not run: ${inject('nodesSkipped')})`}`, () => {
  beforeAll(async () => {
    kit = await adminKit();
    await kit.organizations.create({ name: org, resources: { cpu: 4, memory: '8Gi' }, policy: { allowUnsandboxed: true } });
    await kit.tenants.create({ organization: org, name: 't', resources: { cpu: 3, memory: '6Gi' } });
    await Promise.all([
      kit.spaces.create({ organization: org, tenant: 't', name: 'sandboxed', resources: { cpu: 1, memory: '1Gi' } }),
      kit.spaces.create({ organization: org, tenant: 't', name: 'plain', resources: { cpu: 1, memory: '1Gi' }, sandbox: 'none' }),
      kit.spaces.create({
        organization: org,
        tenant: 't',
        name: 'capped',
        resources: { cpu: '500m', memory: '1Gi', pods: 10 },
        sandbox: 'none',
        containerDefaults: { request: { cpu: '200m', memory: '64Mi' }, limit: { cpu: '300m', memory: '96Mi' } },
      }),
    ]);
  });

  afterAll(async () => {
    await kit?.organizations.delete(org);
  });

  it("runs a sandboxed Space's pod inside gVisor, and a sandbox: none pod on the host kernel", async () => {
    expect(nodes[0]!.runtimes).toContain('runsc');
    const [sandboxed] = await runProbes(admin, `${org}--t--sandboxed`);
    const [plain] = await runProbes(admin, `${org}--t--plain`);
    const pod = await admin.makeApiClient(CoreV1Api).readNamespacedPod({ name: sandboxed!.pod, namespace: sandboxed!.namespace });
    expect(pod.spec?.runtimeClassName).toBe('gvisor');
    const inside = await kernelOf(admin, sandboxed!);
    // gVisor implements Linux itself and reports its own kernel and boot log.
    expect(inside.release).not.toBe(release());
    expect(inside.log).toContain('Starting gVisor');
    const host = await kernelOf(admin, plain!);
    expect(host.release).toBe(release());
    expect(host.log ?? '').not.toContain('gVisor');
  });

  it("gives a container without requests the Space's LimitRange defaults, in its own cgroup", async () => {
    const [p] = await runProbes(admin, `${org}--t--capped`);
    const pod = await admin.makeApiClient(CoreV1Api).readNamespacedPod({ name: p!.pod, namespace: p!.namespace });
    expect(pod.spec?.containers[0]?.resources).toEqual({
      requests: { cpu: '200m', memory: '64Mi' },
      limits: { cpu: '300m', memory: '96Mi' },
    });
    const { files } = await cgroupOf(admin, p!);
    // cgroup v1: 200m is 204 shares (1024 per core), 300m a CFS quota of 30 ms per 100 ms, 96Mi the memory limit.
    expect(files['cpu/cpu.shares']).toBe('204');
    expect(Number(files['cpu/cpu.cfs_quota_us']) / Number(files['cpu/cpu.cfs_period_us'])).toBeCloseTo(0.3, 5);
    expect(files['memory/memory.limit_in_bytes']).toBe(String(96 * 1024 * 1024));
  });

  it('refuses a replica beyond the quota, and runs the ones within it', async () => {
    const namespace = `${org}--t--capped`;
    const labels = { app: 'many' };
    // Each replica requests 200m (the defaults) and the probe Deployment above holds 200m of 500m: one more fits.
    await admin.makeApiClient(AppsV1Api).createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'many' },
        spec: { replicas: 3, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: probePodSpec() } },
      },
    });
    const core = admin.makeApiClient(CoreV1Api);
    const refusal = await eventually('the ReplicaSet to be refused by the quota', async () => {
      const events = await core.listNamespacedEvent({ namespace, fieldSelector: 'reason=FailedCreate' });
      return events.items.find((e) => e.message?.includes('exceeded quota'));
    });
    expect(refusal.message).toContain('requested: requests.cpu=200m');
    const running = await eventually('the replica within the quota to run', async () => {
      const pods = (await core.listNamespacedPod({ namespace, labelSelector: 'app=many' })).items;
      return pods.some((p) => p.status?.phase === 'Running') ? pods : undefined;
    });
    expect(running).toHaveLength(1);
    const quota = await core.readNamespacedResourceQuota({ name: 'spacekit-quota', namespace });
    expect(quota.status?.used?.['requests.cpu']).toBe('400m');
  });
});
