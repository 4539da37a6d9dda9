// A vitest suite that deploys a small app into an ephemeral Space and asserts
// on it. Each run gets a Space of its own, deleted afterwards (or by the
// operator when its TTL runs out, if the run crashes).
//
//   SPACEKIT_KUBECONFIG=… SPACEKIT_TENANT=demo-org/payments \
//     pnpm exec vitest run --config packages/examples/vitest.config.ts
//
// In your own project, call it deploy-app.test.ts; it is named .suite.ts here
// only so that this workspace's cluster-less unit tests do not pick it up.
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { ephemeralSpaceTest } from '@spacekit/sdk/testing/vitest';
import { describe, expect, vi } from 'vitest';
import { APP, helloDeployment, helloService } from './app.ts';
import { connectFromEnv, tenantFromEnv } from './cluster.ts';

const tenant = tenantFromEnv();

// scope 'worker': the tests a vitest worker runs share one Space, so N workers hold N Spaces at most.
// (vitest wants worker-scoped fixtures defined at the top level of the file.)
const test = ephemeralSpaceTest({ kit: connectFromEnv, tenant, scope: 'worker', prefix: 'suite', ttl: '30m' });
// The default scope, 'test': a fresh Space for every test that asks for one.
const isolatedTest = ephemeralSpaceTest({ kit: connectFromEnv, tenant, prefix: 'case', ttl: '30m' });

describe('the hello app, in one Space per worker', () => {
  test("rolls out, sandboxed, with the Space's defaults counted against its quota", async ({ space }) => {
    const apps = space.api(AppsV1Api);
    const core = space.api(CoreV1Api);
    await apps.createNamespacedDeployment({ namespace: space.namespace, body: helloDeployment(2) });

    await vi.waitFor(
      async () => {
        const deployment = await apps.readNamespacedDeployment({ name: APP, namespace: space.namespace });
        expect(deployment.status?.readyReplicas).toBe(2);
      },
      { timeout: 120_000, interval: 500 },
    );
    const pods = (await core.listNamespacedPod({ namespace: space.namespace, labelSelector: `app=${APP}` })).items;
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      // gVisor, set by Spacekit's admission policy, and the LimitRange's default request.
      expect(pod.spec?.runtimeClassName).toBe('gvisor');
      expect(pod.spec?.containers[0]?.resources?.requests).toEqual({ cpu: '100m', memory: '128Mi' });
    }
    await vi.waitFor(
      async () => {
        const quota = await core.readNamespacedResourceQuota({ name: 'spacekit-quota', namespace: space.namespace });
        expect(quota.status?.used?.['requests.cpu']).toBe('200m');
      },
      { timeout: 60_000, interval: 500 },
    );
  });

  test("answers over HTTP, through the API server's service proxy", async ({ space }) => {
    const core = space.api(CoreV1Api);
    await space
      .api(AppsV1Api)
      .createNamespacedDeployment({ namespace: space.namespace, body: helloDeployment(1) })
      .catch((err) => {
        // The first test of this worker's Space may have made it already.
        if ((err as { code?: number }).code !== 409) throw err;
      });
    await core.createNamespacedService({ namespace: space.namespace, body: helloService() });
    // Until a pod is Ready behind the Service the proxy answers 503; then the app itself does.
    const reply = await vi.waitFor(
      () => core.connectGetNamespacedServiceProxyWithPath({ name: `${APP}:http`, namespace: space.namespace, path: '' }),
      { timeout: 120_000, interval: 500 },
    );
    expect(reply).toMatch(/^spacekit-probe on hello-/);
  });

  test('cannot reach past its Space', async ({ space }) => {
    const core = space.api(CoreV1Api);
    await expect(core.listNamespace()).rejects.toMatchObject({ code: 403 });
    await expect(core.listNamespacedPod({ namespace: 'kube-system' })).rejects.toMatchObject({ code: 403 });
    await expect(core.deleteNamespacedResourceQuota({ name: 'spacekit-quota', namespace: space.namespace })).rejects.toMatchObject({
      code: 403,
    });
  });
});

describe('a fresh Space for every test', () => {
  // Each test finds its Space empty and leaves a marker; a shared Space would show the other test's.
  for (const name of ['first', 'second']) {
    isolatedTest(`the ${name} test starts from an empty Space`, async ({ space }) => {
      const core = space.api(CoreV1Api);
      const markers = await core.listNamespacedConfigMap({ namespace: space.namespace, labelSelector: 'example/marker' });
      expect(markers.items).toEqual([]);
      await core.createNamespacedConfigMap({
        namespace: space.namespace,
        body: { metadata: { name: `marker-${name}`, labels: { 'example/marker': name } } },
      });
    });
  }
});
