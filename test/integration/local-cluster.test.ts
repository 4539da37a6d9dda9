import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CoreV1Api } from '@kubernetes/client-node';
import { GO_MODULE_DIR, kubernetesVersionOf, startLocalCluster } from '@spacekit/local-cluster';
import { describe, expect, inject, it } from 'vitest';
import { addedSince, hostState, nodeFootprint, pidNamespace } from '../support/host-state.ts';
import { eventually } from '../support/kube.ts';
import { runProbes } from '../support/probe.ts';
import { isAlive, processesMatching } from '../support/processes.ts';

const asRoot = process.getuid?.() === 0;
/** What a stopped cluster must not leave: the host as it was, and nothing of the node. */
const nothingLeft = { cgroups: [], processes: [] };

describe('the local control plane launcher', () => {
  it('starts twice in a row, reusing the cached binary, and stop() leaves no process or data behind', async () => {
    const pinned = kubernetesVersionOf(await readFile(join(GO_MODULE_DIR, 'go.mod'), 'utf8'));
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const cluster = await startLocalCluster({ kubeconfig: null, nodes: 0 });
      const namespaces = await cluster.kubeConfig.makeApiClient(CoreV1Api).listNamespace();
      const { pid, components, dataDir } = cluster.process!;
      runs.push({ binary: cluster.binary!, version: cluster.version, names: namespaces.items.map((n) => n.metadata?.name) });
      expect(Object.keys(components).sort()).toEqual(['apiserver', 'controller-manager', 'scheduler']);
      await cluster.stop();
      for (const p of [pid, ...Object.values(components)]) expect(isAlive(p), `pid ${p} after stop()`).toBe(false);
      expect(existsSync(dataDir)).toBe(false);
    }
    const [first, second] = runs;
    expect(second!.binary.built).toBe(false);
    expect(second!.binary.path).toBe(first!.binary.path);
    expect(second!.binary.key).toBe(first!.binary.key);
    for (const run of runs) {
      expect(run.version).toBe(pinned);
      expect(run.names).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-public', 'kube-node-lease']));
    }
  });

  it.runIf(asRoot)('stop() of a cluster with a real node and a running pod leaves the host as it was', async () => {
    const before = hostState();
    const cluster = await startLocalCluster({ kubeconfig: null });
    const { pid, components, dataDir } = cluster.process!;
    expect(Object.keys(components).sort()).toEqual(['apiserver', 'controller-manager', 'scheduler', 'spacekit-node']);
    const node = cluster.nodes[0]!;
    const pidns = pidNamespace(components['spacekit-node']!);
    await runProbes(cluster.kubeConfig, 'default');
    // While it runs, the footprint is there to find: the checks below can fail.
    const running = nodeFootprint(node, dataDir, pidns);
    expect(running.cgroups.length).toBeGreaterThan(0);
    expect(running.processes.length).toBeGreaterThan(3);
    await cluster.stop();
    for (const p of [pid, ...Object.values(components)]) expect(isAlive(p), `pid ${p} after stop()`).toBe(false);
    expect(nodeFootprint(node, dataDir, pidns)).toEqual(nothingLeft);
    expect(existsSync(dataDir)).toBe(false);
    expect(addedSince(before, hostState())).toEqual({});
  });

  it.runIf(asRoot)('Ctrl-C of scripts/up leaves the host as it was', async () => {
    const before = hostState();
    const script = fileURLToPath(new URL('../../scripts/up', import.meta.url));
    // Its own process group, as a terminal's foreground job: Ctrl-C signals the whole group.
    const up = spawn(script, [], { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, SPACEKIT_KUBECONFIG: '' } });
    let stdout = '';
    up.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    let stderr = '';
    up.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => up.once('close', resolve));
    const kubeconfig = await eventually(
      'scripts/up to print the tree and its kubeconfig',
      async () => /kubeconfig\s+(\S+admin\.kubeconfig)/.exec(stdout)?.[1],
      { timeoutMs: 240_000 },
    );
    expect(stdout).toMatch(/nodes\s+spacekit-node Ready/);
    const dataDir = kubeconfig.replace(/\/admin\.kubeconfig$/, '');
    const node = {
      cgroupRoot: JSON.parse(await readFile(join(dataDir, 'nodes', 'spacekit-node', 'node.json'), 'utf8')).cgroupRoot as string,
    };
    expect(nodeFootprint(node, dataDir).processes.length).toBeGreaterThan(3);
    process.kill(-up.pid!, 'SIGINT');
    expect(await exited, stderr.slice(-2000)).toBe(0);
    await eventually('the node to be gone', async () => (nodeFootprint(node, dataDir).processes.length === 0 ? true : undefined));
    expect(nodeFootprint(node, dataDir)).toEqual(nothingLeft);
    expect(existsSync(dataDir)).toBe(false);
    expect(addedSince(before, hostState())).toEqual({});
  });

  it('leaves no process behind when its parent is SIGKILLed', async () => {
    const before = hostState();
    const script = fileURLToPath(new URL('../support/orphan-parent.ts', import.meta.url));
    const parent = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: parent.stdout }).once('line', resolve);
      parent.once('exit', (code) => reject(new Error(`orphan parent exited early with ${code}`)));
    });
    const { pids, dataDir, node, pidns } = JSON.parse(line) as {
      pids: number[];
      dataDir: string;
      node?: { cgroupRoot: string };
      pidns?: string;
    };
    expect(pids).toHaveLength(asRoot ? 5 : 4);
    for (const p of pids) expect(isAlive(p)).toBe(true);
    if (node) expect(nodeFootprint(node, dataDir, pidns).processes.length).toBeGreaterThan(3);

    parent.kill('SIGKILL');
    // A generous bound: on a loaded machine the graceful shutdown of five processes takes a while.
    await eventually('the orphaned control plane to exit', async () => (pids.some(isAlive) ? undefined : true), { timeoutMs: 120_000 });
    for (const p of pids) expect(isAlive(p), `pid ${p}`).toBe(false);
    await eventually('its temporary data to be removed', async () => (existsSync(dataDir) ? undefined : true));
    if (node) {
      await eventually('the node to be gone', async () => (nodeFootprint(node, dataDir, pidns).processes.length === 0 ? true : undefined));
      expect(nodeFootprint(node, dataDir, pidns)).toEqual(nothingLeft);
    }
    expect(addedSince(before, hostState())).toEqual({});
  });

  it('stop() keeps a script that has nothing else to do alive until the shutdown is complete', async () => {
    const script = fileURLToPath(new URL('../support/stop-and-report.ts', import.meta.url));
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toContain('unsettled top-level await');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { pids: number[]; dataDirExists: boolean; footprint?: unknown };
    expect(report.dataDirExists).toBe(false);
    for (const p of report.pids) expect(isAlive(p), `pid ${p}`).toBe(false);
    if (asRoot) expect(report.footprint).toEqual(nothingLeft);
  });

  it('uses an existing cluster through the kubeconfig option and leaves it running on stop()', async () => {
    const path = inject('kubeconfigPath');
    const borrowed = await startLocalCluster({ kubeconfig: path });
    expect(borrowed.external).toBe(true);
    expect(borrowed.kubeconfigPath).toBe(path);
    expect(borrowed.process).toBeUndefined();
    await borrowed.stop();
    const stillThere = await borrowed.kubeConfig.makeApiClient(CoreV1Api).readNamespace({ name: 'default' });
    expect(stillThere.metadata?.name).toBe('default');
  });

  it('fails with a clear error carrying the apiserver log tail when it cannot start, and leaves nothing running', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const error = await startLocalCluster({ kubeconfig: null, port, nodes: 0 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ name: 'LocalClusterError', code: 'START_FAILED' });
      const { message, logTail } = error as { message: string; logTail: string };
      expect(message).toContain('kube-apiserver did not become ready');
      expect(logTail).toContain(`127.0.0.1:${port}`);
      expect(logTail).toContain('address already in use');
      expect(processesMatching(`--secure-port=${port}`)).toEqual([]);
    } finally {
      blocker.close();
    }
  });
});
