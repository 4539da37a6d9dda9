// The same kind of suite for Node's built-in test runner:
//
//   SPACEKIT_KUBECONFIG=… SPACEKIT_TENANT=demo-org/payments \
//     node --test packages/examples/src/deploy-app.node-test.ts
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { ephemeralSpaceFor, ephemeralSpaceHooks } from '@spacekit/sdk/testing/node-test';
import { APP, helloDeployment } from './app.ts';
import { connectFromEnv, tenantFromEnv } from './cluster.ts';

const tenant = tenantFromEnv();

/** Polls until `probe` holds; the limit only bounds a hung cluster. */
async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(500);
  }
}

describe('the hello app under node:test', () => {
  // One Space for the tests of this block: made before the first, deleted after the last.
  const space = ephemeralSpaceHooks(connectFromEnv, { tenant, prefix: 'node', ttl: '30m' });

  test('rolls out in its Space', async () => {
    const apps = space().api(AppsV1Api);
    await apps.createNamespacedDeployment({ namespace: space().namespace, body: helloDeployment(1) });
    await until(
      'the rollout',
      async () => (await apps.readNamespacedDeployment({ name: APP, namespace: space().namespace })).status?.readyReplicas === 1,
    );
    const pods = await space()
      .api(CoreV1Api)
      .listNamespacedPod({ namespace: space().namespace, labelSelector: `app=${APP}` });
    assert.equal(pods.items[0]?.spec?.runtimeClassName, 'gvisor');
  });

  test('a test may take a Space of its own, deleted when it ends', async (t) => {
    const own = await ephemeralSpaceFor(t, await connectFromEnv(), { tenant, prefix: 'node-own', ttl: '30m' });
    assert.notEqual(own.namespace, space().namespace);
    // Each Space's credentials stop at its own namespace.
    await assert.rejects(own.api(CoreV1Api).listNamespacedPod({ namespace: space().namespace }), { code: 403 });
  });
});
