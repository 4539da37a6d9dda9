import type { KubeConfig } from '@kubernetes/client-node';
import { connect, type Spacekit } from '@spacekit/sdk';
import { inject } from 'vitest';
import { adminKubeConfig } from './kube.ts';
import {
  type OperatorProcess,
  type OperatorProcessOptions,
  operatorKubeconfig as operatorKubeconfigFor,
  startOperator,
} from './operator-process.ts';

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

/** The label that gives each test file an operator of its own: it selects only that file's organizations. */
export const SHARD_LABEL = 'e2e.spacekit.example/shard';

/** An operator process looking after one shard, with its credentials. */
export interface ShardOperator extends OperatorProcess {
  /** Stops it gracefully, removes its kubeconfig, and returns its exit code. */
  shutdown(): Promise<number | null>;
}

/**
 * Starts `spacekit operator` under its ServiceAccount for the organizations
 * labelled `SHARD_LABEL=<shard>`, so that test files running in parallel on
 * one control plane never share an operator.
 */
export async function startShardOperator(
  shard: string,
  options: Omit<OperatorProcessOptions, 'kubeconfigPath' | 'organizationSelector'> = {},
): Promise<ShardOperator> {
  const kubeconfig = await operatorKubeconfig();
  const operator = await startOperator({ ...options, kubeconfigPath: kubeconfig.path, organizationSelector: `${SHARD_LABEL}=${shard}` });
  return {
    ...operator,
    shutdown: async () => {
      const code = await operator.stop();
      kubeconfig.remove();
      return code;
    },
  };
}
