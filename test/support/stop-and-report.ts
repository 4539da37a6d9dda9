// Starts a local control plane and stops it with nothing else keeping this
// process alive, then reports what is left. stop() must hold the process
// open until the control plane has shut down and removed its data.
import { existsSync } from 'node:fs';
import { startLocalCluster } from '@spacekit/local-cluster';

const cluster = await startLocalCluster({ kubeconfig: null });
const { pid, components, dataDir } = cluster.process!;
await cluster.stop();
process.stdout.write(`${JSON.stringify({ pids: [pid, ...Object.values(components)], dataDirExists: existsSync(dataDir) })}\n`);
