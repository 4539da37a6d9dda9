import type { TestProject } from 'vitest/node';
import { type RealNode, startLocalCluster } from '@spacekit/local-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin kubeconfig of the control plane shared by this run. */
    kubeconfigPath: string;
    /** True when SPACEKIT_KUBECONFIG supplied the cluster. */
    externalCluster: boolean;
    /** The real nodes of the local cluster; empty for an existing cluster or when none could start (not root). */
    realNodes: RealNode[];
    /** Why the run has no real node, when it has none. */
    nodesSkipped: string;
    /** The local cluster's data folder, for loading images; empty for an existing cluster. */
    clusterDataDir: string;
  }
}

/** Starts one real control plane per test run and hands its kubeconfig to the tests. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startLocalCluster({
    // One real node, where pods really run (behaviour tests), and two kwok nodes for
    // tests that only need pods scheduled; those tolerate the kwok taint.
    nodes: 1,
    kwokNodes: 2,
    onProgress: (message) => process.stderr.write(`[cluster] ${message}\n`),
  });
  process.stderr.write(`[cluster] Kubernetes ${cluster.version} at ${cluster.server}${cluster.external ? ' (SPACEKIT_KUBECONFIG)' : ''}\n`);
  project.provide('kubeconfigPath', cluster.kubeconfigPath);
  project.provide('externalCluster', cluster.external);
  project.provide('realNodes', cluster.nodes);
  project.provide('nodesSkipped', cluster.nodesSkipped ?? (cluster.external ? 'an existing cluster (SPACEKIT_KUBECONFIG) was used' : ''));
  project.provide('clusterDataDir', cluster.process?.dataDir ?? '');
  return () => cluster.stop();
}
