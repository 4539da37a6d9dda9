// Starts a local control plane with its real node, runs a pod on it, prints
// what a leak would leave (process ids, data folder, the node's cgroup root and
// PID namespace) as one JSON line and waits to be killed. The orphan test
// SIGKILLs this process to prove that nothing outlives its parent.
import { startLocalCluster } from '@spacekit/local-cluster';
import { pidNamespace } from './host-state.ts';
import { runProbes } from './probe.ts';

const cluster = await startLocalCluster({ kubeconfig: null });
const { pid, components, dataDir } = cluster.process!;
if (cluster.nodes.length > 0) await runProbes(cluster.kubeConfig, 'default');
const node = cluster.nodes[0];
const nodePid = components['spacekit-node'];
process.stdout.write(
  `${JSON.stringify({ pids: [pid, ...Object.values(components)], dataDir, node, pidns: nodePid ? pidNamespace(nodePid) : undefined })}\n`,
);
setInterval(() => {}, 1 << 30);
