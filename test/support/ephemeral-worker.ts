// A test worker as a separate process, the way a CI runner starts them: it
// takes an ephemeral Space, deploys a small app into it with the Space's own
// credentials, prints one JSON line and waits. "dispose" on stdin cleans up
// and exits 0; the tests also SIGTERM it (its handlers must clean up) or
// SIGKILL it (the operator must reap the Space after its TTL).
//
// Environment: SPACEKIT_KUBECONFIG (who provisions), WORKER_TENANT
// ("org/tenant"), and optionally WORKER_TTL and WORKER_PREFIX.
import { createInterface } from 'node:readline';
import { AppsV1Api, CoreV1Api, type V1Deployment } from '@kubernetes/client-node';
import { connect } from '@spacekit/sdk';
import { ephemeralSpace } from '@spacekit/sdk/testing';

const say = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);

const app: V1Deployment = {
  metadata: { name: 'web' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'app',
            image: 'registry.k8s.io/pause:3.10',
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          },
        ],
      },
    },
  },
};

try {
  const kit = await connect({ kubeconfig: process.env.SPACEKIT_KUBECONFIG ?? '' });
  const space = await ephemeralSpace(kit, {
    tenant: process.env.WORKER_TENANT ?? '',
    ...(process.env.WORKER_TTL && { ttl: process.env.WORKER_TTL }),
    ...(process.env.WORKER_PREFIX && { prefix: process.env.WORKER_PREFIX }),
  });
  await space.api(AppsV1Api).createNamespacedDeployment({ namespace: space.namespace, body: app });
  // The ReplicaSet controller makes the pod; seen through the scoped credentials, as the test itself would.
  const core = space.api(CoreV1Api);
  for (;;) {
    const pods = await core.listNamespacedPod({ namespace: space.namespace, labelSelector: 'app=web' });
    if (pods.items.length > 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  say({
    event: 'ready',
    name: space.ref.name,
    namespace: space.namespace,
    serviceAccount: space.credentials.serviceAccount,
    kubeconfig: space.kubeconfig,
    expiresAt: space.expiresAt,
  });
  const commands = createInterface(process.stdin);
  commands.on('line', (line) => {
    if (line.trim() !== 'dispose') return;
    void space.dispose().then(
      () => {
        say({ event: 'disposed' });
        process.exit(0);
      },
      (err: unknown) => {
        say({ event: 'error', message: String((err as Error).message) });
        process.exit(1);
      },
    );
  });
} catch (err) {
  say({ event: 'error', name: (err as Error).name, message: String((err as Error).message) });
  process.exit(1);
}
