// The test harness on the real node: an ephemeral Space runs the app, the test
// talks to it, and dispose() leaves nothing of it on the node: no container
// (asked of the container runtime over the CRI, not the API server), no pod
// network namespace, no iptables rule for its pods.
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { Spacekit } from '@spacekit/sdk';
import { ephemeralSpace } from '@spacekit/sdk/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually, uniqueName } from '../support/kube.ts';
import { criPods, existsInNode, nodeIptables } from '../support/node-inspect.ts';
import { probePodSpec } from '../support/probe.ts';
import { adminKit } from '../support/spacekit.ts';

const hasNode = inject('realNodes').length > 0;
const dataDir = inject('clusterDataDir');
const org = uniqueName('harness');
let kit: Spacekit;

describe.runIf(hasNode)(`ephemeral Spaces on the real node${hasNode ? '' : ` (not run: ${inject('nodesSkipped')})`}`, () => {
  beforeAll(async () => {
    kit = await adminKit();
    await kit.organizations.create({ name: org, resources: { cpu: 2, memory: '4Gi' } });
    await kit.tenants.create({ organization: org, name: 'ci', resources: { cpu: 2, memory: '4Gi' } });
  });

  afterAll(async () => {
    await kit?.organizations.delete(org);
  });

  it('runs the app, answers the test over HTTP, and dispose() leaves no container, network namespace or rule behind', async () => {
    const space = await ephemeralSpace(kit, { tenant: `${org}/ci`, ttl: '30m' });
    const labels = { app: 'web' };
    await space.api(AppsV1Api).createNamespacedDeployment({
      namespace: space.namespace,
      body: {
        metadata: { name: 'web' },
        spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: probePodSpec() } },
      },
    });
    const core = space.api(CoreV1Api);
    await core.createNamespacedService({
      namespace: space.namespace,
      body: { metadata: { name: 'web' }, spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
    });
    const reply = await eventually(
      'the app to answer through its Service',
      () => core.connectGetNamespacedServiceProxyWithPath({ name: 'web:http', namespace: space.namespace, path: '' }),
      { timeoutMs: 120_000 },
    );
    expect(reply).toMatch(/^spacekit-probe on web-/);

    const [pod] = (await criPods(dataDir)).filter((p) => p.namespace === space.namespace && p.state === 'SANDBOX_READY');
    expect(pod?.runtimeHandler).toBe('runsc');
    expect(pod?.containers).toEqual([{ name: 'probe', state: 'CONTAINER_RUNNING' }]);
    expect(pod?.netns).toMatch(/netns\/cni-/);
    expect(existsInNode(dataDir, pod!.netns!)).toBe(true);
    expect(nodeIptables(dataDir)).toContain(`${pod!.ip}/32`);

    await space.dispose();
    await eventually(
      "the node to drop the Space's pods",
      async () => ((await criPods(dataDir)).some((p) => p.namespace === space.namespace) ? undefined : true),
      { timeoutMs: 120_000 },
    );
    expect(existsInNode(dataDir, pod!.netns!)).toBe(false);
    await eventually('the firewall to drop its rules', async () => (nodeIptables(dataDir).includes(`${pod!.ip}/32`) ? undefined : true));
  });
});
