import { formatTree, type TreeNode } from './tree.ts';

/** What `spacekit up` prints once the cluster and the sample are ready. */
export interface UpSummary {
  tree: readonly TreeNode[];
  kubeconfigPath: string;
  /** The cluster came from SPACEKIT_KUBECONFIG or --kubeconfig and outlives `up`. */
  external: boolean;
  once: boolean;
  /** Where the operator that `up` runs serves its metrics, when it runs one. */
  operatorUrl?: string;
  /** The local cluster's real nodes (`name Ready`, runtimes), or why it has none. */
  nodes?: string;
}

/** The tree, then how to reach the cluster from another terminal. */
export function formatUp(summary: UpSummary): string {
  const { kubeconfigPath, external, once } = summary;
  const lasts = external ? 'it keeps running after this exits' : once ? 'stopped again with --once' : 'until you press Ctrl-C here';
  const operator = summary.operatorUrl
    ? `operator     running here until Ctrl-C (metrics ${summary.operatorUrl}/metrics)
self-service tina administers demo/web: a Space object she writes is provisioned by the operator
             (pnpm cluster kubectl --as tina -n demo--web apply -f space.yaml; see docs/operator.md)
`
    : '';
  return `${formatTree(summary.tree)}
${summary.nodes ? `nodes        ${summary.nodes}\n` : ''}kubeconfig   ${kubeconfigPath}   (${lasts})
try          KUBECONFIG=${kubeconfigPath} pnpm spacekit get
             KUBECONFIG=${kubeconfigPath} pnpm spacekit usage --watch
${operator}`;
}
