import { randomBytes } from 'node:crypto';
import { ApiException, CoreV1Api, KubeConfig, type V1Deployment, type V1Pod } from '@kubernetes/client-node';
import { serverMessage } from '@spacekit/sdk';
import { expect, inject } from 'vitest';

import { eventually } from './wait.ts';

export { eventually };

/** The admin kubeconfig of the run's shared control plane. */
export function adminKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(inject('kubeconfigPath'));
  return kc;
}

/**
 * A kubeconfig that authenticates as the admin but acts as `user`, through
 * the apiserver's impersonation: every request is authorized as that user by
 * the real RBAC and admission code.
 */
export function impersonating(admin: KubeConfig, user: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(admin.exportConfig());
  const current = kc.getCurrentUser();
  if (!current) throw new Error('kubeconfig has no current user');
  kc.users = kc.users.map((u) => (u.name === current.name ? { ...u, impersonateUser: user } : u));
  return kc;
}

/** A DNS-1123 name unique to this run, so tests never share objects. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Asserts that a request failed with this HTTP status and returns the server's message. */
export async function expectStatus(request: Promise<unknown>, code: number): Promise<string> {
  const err = await request.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected HTTP ${code}, but the request succeeded`).toBeInstanceOf(ApiException);
  const apiErr = err as ApiException<unknown>;
  expect(apiErr.code).toBe(code);
  return serverMessage(apiErr);
}

/** Creates a namespace and waits for its default ServiceAccount, which pod admission requires. */
export async function createNamespace(kc: KubeConfig, name: string, labels: Record<string, string> = {}): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name, labels } } });
  await eventually(`ServiceAccount ${name}/default`, () => core.readNamespacedServiceAccount({ name: 'default', namespace: name }));
}

/** A minimal pod that Pod Security `restricted` admits; `overrides` change its one container. */
export function restrictedPod(name: string, overrides: Partial<NonNullable<V1Pod['spec']>['containers'][number]> = {}): V1Pod {
  return {
    metadata: { name },
    spec: {
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'app',
          image: 'registry.k8s.io/pause:3.10',
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          ...overrides,
        },
      ],
    },
  };
}

/** A Deployment of `replicas` restricted pods labelled app=web. */
export function webDeployment(replicas: number): V1Deployment {
  return {
    metadata: { name: 'web' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: restrictedPod('x').spec! },
    },
  };
}
