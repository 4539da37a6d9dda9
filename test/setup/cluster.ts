import type { TestProject } from 'vitest/node';
import { startLocalCluster } from '@spacekit/local-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin kubeconfig of the control plane shared by this run. */
    kubeconfigPath: string;
    /** True when SPACEKIT_KUBECONFIG supplied the cluster. */
    externalCluster: boolean;
  }
}

/** Starts one real control plane per test run and hands its kubeconfig to the tests. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startLocalCluster({
    // Two kwok nodes, so that scheduled pods reach Running as on a real cluster.
    nodes: 2,
    onProgress: (message) => process.stderr.write(`[cluster] ${message}\n`),
  });
  process.stderr.write(`[cluster] Kubernetes ${cluster.version} at ${cluster.server}${cluster.external ? ' (SPACEKIT_KUBECONFIG)' : ''}\n`);
  project.provide('kubeconfigPath', cluster.kubeconfigPath);
  project.provide('externalCluster', cluster.external);
  return () => cluster.stop();
}
