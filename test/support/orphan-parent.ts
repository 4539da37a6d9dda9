// Starts a local control plane, prints its process ids as one JSON line and
// waits to be killed. The orphan test SIGKILLs this process to prove that the
// control plane does not outlive its parent.
import { startLocalCluster } from '@spacekit/local-cluster';

const cluster = await startLocalCluster({ kubeconfig: null });
const { pid, components, dataDir } = cluster.process!;
process.stdout.write(`${JSON.stringify({ pids: [pid, ...Object.values(components)], dataDir })}\n`);
setInterval(() => {}, 1 << 30);
