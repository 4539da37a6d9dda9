import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureControlPlaneBinary } from '@spacekit/local-cluster';
import { processesMatching } from './processes.ts';

/**
 * The real node as its own parts see it, independent of the API server: the
 * container runtime over the CRI, the node's mount namespace (where pod
 * network namespaces are mounted) and its iptables rules.
 */

export interface CriPod {
  id: string;
  name: string;
  namespace: string;
  state: string;
  runtimeHandler: string;
  ip?: string;
  netns?: string;
  containers: { name: string; state: string }[];
}

/** Pod sandboxes and their containers on the cluster's node, over the CRI (`spacekit-cluster cri pods`). */
export async function criPods(dataDir: string): Promise<CriPod[]> {
  const binary = await ensureControlPlaneBinary();
  const out = execFileSync(binary.path, ['cri', 'pods', '--data-dir', dataDir], { encoding: 'utf8' });
  return Object.values(JSON.parse(out) as Record<string, CriPod[]>).flat();
}

/** The process id of the node's init, whose namespaces are the node's. */
export function nodeInitPid(dataDir: string): number {
  const [pid] = processesMatching(join(dataDir, 'nodes', 'spacekit-node', 'node.json'));
  if (pid === undefined) throw new Error(`no node-init process for ${dataDir}`);
  return pid;
}

/** Whether a path inside the node's mount namespace exists, seen through /proc/PID/root. */
export function existsInNode(dataDir: string, path: string): boolean {
  return existsSync(`/proc/${nodeInitPid(dataDir)}/root${path}`);
}

/** The node's iptables rules, read inside its network namespace. */
export function nodeIptables(dataDir: string): string {
  return execFileSync('nsenter', ['-t', String(nodeInitPid(dataDir)), '-n', 'iptables-save'], { encoding: 'utf8' });
}
