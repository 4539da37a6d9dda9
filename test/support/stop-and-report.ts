// Starts a local control plane with its real node and a pod on it, then stops
// it with nothing else keeping this process alive, and reports what is left.
// stop() must hold the process open until the node and the control plane have
// shut down and removed their data.
import { existsSync } from 'node:fs';
import { startLocalCluster } from '@spacekit/local-cluster';
import { nodeFootprint, pidNamespace } from './host-state.ts';
import { runProbes } from './probe.ts';

const cluster = await startLocalCluster({ kubeconfig: null });
const { pid, components, dataDir } = cluster.process!;
const node = cluster.nodes[0];
const nodePid = components['spacekit-node'];
const pidns = nodePid ? pidNamespace(nodePid) : undefined;
if (node) await runProbes(cluster.kubeConfig, 'default');
await cluster.stop();
process.stdout.write(
  `${JSON.stringify({
    pids: [pid, ...Object.values(components)],
    dataDirExists: existsSync(dataDir),
    ...(node && { footprint: nodeFootprint(node, dataDir, pidns) }),
  })}\n`,
);
