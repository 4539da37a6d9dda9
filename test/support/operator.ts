import type { KubeConfig } from '@kubernetes/client-node';
import { connect, type Spacekit } from '@spacekit/sdk';
import { inject } from 'vitest';
import { adminKubeConfig } from './kube.ts';
import { operatorKubeconfig as operatorKubeconfigFor } from './operator-process.ts';

export * from './operator-process.ts';

/**
 * An SDK connection as the cluster admin, with Spacekit and the operator's
 * manifests installed. The Deployment stays at zero replicas: there is no
 * image to run here, so the tests run the operator as a process under the
 * same ServiceAccount.
 */
export async function adminKitWithOperator(): Promise<Spacekit> {
  const kit = await connect({ kubeconfig: inject('kubeconfigPath') });
  await kit.install({ operator: { replicas: 0 } });
  return kit;
}

/** A kubeconfig file with a bound token of the operator's ServiceAccount; see operator-process.ts. */
export async function operatorKubeconfig(admin: KubeConfig = adminKubeConfig()): Promise<{ path: string; remove(): void }> {
  return operatorKubeconfigFor(admin);
}
