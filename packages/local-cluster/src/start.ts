import { type ChildProcess, spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { KubeConfig } from '@kubernetes/client-node';
import { ensureAddon, NODE_ADDONS } from './addons.ts';
import { type ControlPlaneBinary, ensureControlPlaneBinary } from './binary.ts';
import { ensureGvisor } from './gvisor.ts';
import { LocalClusterError } from './errors.ts';
import { RingBuffer, tailFile } from './log-tail.ts';
import { waitForControlPlane } from './readiness.ts';

/** Options for {@link startLocalCluster}. */
export interface StartLocalClusterOptions {
  /**
   * An existing cluster's kubeconfig to use instead of starting one. Defaults
   * to `$SPACEKIT_KUBECONFIG`; pass `null` to always start a local control
   * plane.
   */
  kubeconfig?: string | null;
  /** Keep etcd data, certificates and logs here instead of a temporary folder that is removed on stop. */
  dataDir?: string;
  /** kube-apiserver port on 127.0.0.1; a free one by default. */
  port?: number;
  /**
   * Real worker nodes (0 or 1, default 1): kubelet, containerd, CNI,
   * kube-proxy, a NetworkPolicy engine, cluster DNS and, where it is built,
   * gVisor, so that pods really run. Needs root; without it the control plane
   * starts alone and {@link LocalCluster.nodesSkipped} says why. Ignored for
   * an existing cluster.
   */
  nodes?: number;
  /**
   * Simulated nodes played by kwok, for scale runs: pods that tolerate the
   * taint `kwok.x-k8s.io/node` land there and are pretend-Running. Default 0.
   */
  kwokNodes?: number;
  /** How long to wait for the control plane to be ready, build time excluded. Default 180 s. */
  timeoutMs?: number;
  /** Build cache folder; see `cacheRoot()`. */
  cacheDir?: string;
  /** Human-readable progress, such as the first build. */
  onProgress?: (message: string) => void;
}

/** The running (or borrowed) control plane. */
export interface LocalCluster extends AsyncDisposable {
  /** Path of an admin kubeconfig for this cluster. */
  kubeconfigPath: string;
  /** That kubeconfig, loaded. */
  kubeConfig: KubeConfig;
  /** The server's Kubernetes version, such as `v1.37.2`. */
  version: string;
  /** The apiserver URL. */
  server: string;
  /** True when an existing cluster was used; `stop()` then leaves it running. */
  external: boolean;
  /** The binary that runs it, for a local control plane. */
  binary?: ControlPlaneBinary;
  /** Process facts, for a local control plane. */
  process?: LocalClusterProcess;
  /** The real nodes that run pods; empty for an existing cluster or when none could start. */
  nodes: RealNode[];
  /** Why no real node runs although one was asked for (for example: not root). */
  nodesSkipped?: string;
  /**
   * Imports image archives (an OCI image layout or `docker save` tar) into
   * every real node, so that pods using them with `imagePullPolicy: Never` or
   * `IfNotPresent` run without a registry.
   */
  loadImage(...files: string[]): Promise<void>;
  /** Stops a local control plane and removes its temporary data. Idempotent. */
  stop(): Promise<void>;
}

/** A real worker node of the local cluster. */
export interface RealNode {
  name: string;
  /** The node's address, inside the network namespace the cluster made for it. */
  ip: string;
  podCIDR: string;
  containerdSocket: string;
  /** RuntimeClass handlers the node runs: `runc`, and `runsc` where gVisor is built. */
  runtimes: string[];
  /** The cgroup under which every pod of the node runs; removed when the node stops. */
  cgroupRoot: string;
}

/** The built-in test image's name on real nodes: a static HTTP server that reports what a pod observes. */
export const PROBE_IMAGE = 'spacekit.dev/probe:v1';

/** Where a local control plane lives on this machine. */
export interface LocalClusterProcess {
  pid: number;
  dataDir: string;
  logDir: string;
  /** Child process ids by component name. */
  components: Record<string, number>;
}

/** The line `spacekit-cluster up --output json` prints once it serves. */
interface ReadyEvent {
  event: 'ready';
  server: string;
  kubeconfig: string;
  version: string;
  dataDir: string;
  logDir: string;
  pid: number;
  components: Record<string, number>;
  nodes: RealNode[] | null;
  nodesSkipped?: string;
}

/**
 * Starts a real Kubernetes control plane on loopback (etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler), or uses the cluster that
 * `$SPACEKIT_KUBECONFIG` points at. Resolves once the apiserver is ready, the
 * controllers are running and the built-in roles are aggregated.
 *
 * The control plane exits by itself if this process dies, so a crashed test
 * run leaves nothing behind.
 *
 * @example
 * ```ts
 * await using cluster = await startLocalCluster();
 * const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
 * ```
 */
export async function startLocalCluster(options: StartLocalClusterOptions = {}): Promise<LocalCluster> {
  const existing = options.kubeconfig === undefined ? process.env.SPACEKIT_KUBECONFIG : options.kubeconfig;
  if (existing) return useExistingCluster(existing, options);

  const binary = await ensureControlPlaneBinary({
    ...(options.cacheDir !== undefined && { cacheDir: options.cacheDir }),
    ...(options.onProgress !== undefined && { onProgress: options.onProgress }),
  });
  const nodes = options.nodes ?? 1;
  const args = ['up', '--output', 'json', '--nodes', String(nodes)];
  if (nodes > 0 && canRunNode()) {
    for (const [flag, path] of Object.entries(await ensureNodeAddons(options))) args.push(`--${flag}`, path);
  }
  if (options.dataDir) args.push('--data-dir', options.dataDir);
  if (options.port) args.push('--port', String(options.port));
  if (options.kwokNodes) args.push('--kwok-nodes', String(options.kwokNodes));
  const timeoutMs = options.timeoutMs ?? 180_000;
  args.push('--timeout', `${Math.ceil(timeoutMs / 1000)}s`);

  const child = spawn(binary.path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr = new RingBuffer();
  child.stderr.on('data', (c: Buffer) => stderr.push(c));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));

  let ready: ReadyEvent;
  try {
    ready = await readReadyEvent(child.stdout, exited, stderr, timeoutMs);
  } catch (err) {
    await terminate(child, exited);
    throw err;
  }
  // Let this process exit without stop(): the control plane then follows it.
  child.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();

  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= terminate(child, exited));
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(ready.kubeconfig);
  // If the control plane dies while we wait, say so now rather than at the timeout.
  const died = new AbortController();
  void exited.then((code) =>
    died.abort(new LocalClusterError('START_FAILED', `the local control plane exited with code ${code} while starting`, stderr.tail(60))),
  );
  try {
    const { version } = await waitForControlPlane(kubeConfig, {
      timeoutMs,
      signal: died.signal,
      kwokNodes: options.kwokNodes ?? 0,
      realNodes: (ready.nodes ?? []).map((n) => n.name),
      diagnostics: async () =>
        (
          await Promise.all([
            stderr.tail(20),
            tailFile(join(ready.logDir, 'controller-manager.log'), 30),
            ...(options.kwokNodes ? [tailFile(join(ready.logDir, 'kwok.log'), 30)] : []),
            ...(ready.nodes ?? []).map((n) => tailFile(join(ready.logDir, `${n.name}-kubelet.log`), 30)),
          ])
        ).join('\n'),
    });
    return {
      kubeconfigPath: ready.kubeconfig,
      kubeConfig,
      version,
      server: ready.server,
      external: false,
      binary,
      process: { pid: ready.pid, dataDir: ready.dataDir, logDir: ready.logDir, components: ready.components },
      nodes: ready.nodes ?? [],
      ...(ready.nodesSkipped && { nodesSkipped: ready.nodesSkipped }),
      loadImage: (...files: string[]) => loadImages(binary.path, ready.dataDir, files),
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function useExistingCluster(kubeconfigPath: string, options: StartLocalClusterOptions): Promise<LocalCluster> {
  try {
    await access(kubeconfigPath);
  } catch {
    throw new LocalClusterError(
      'KUBECONFIG_INVALID',
      `SPACEKIT_KUBECONFIG points at ${kubeconfigPath}, which does not exist. Unset it to start the local control plane, or point it at a kubeconfig file.`,
    );
  }
  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromFile(kubeconfigPath);
  } catch (err) {
    throw new LocalClusterError('KUBECONFIG_INVALID', `cannot read kubeconfig ${kubeconfigPath}: ${(err as Error).message}`);
  }
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) {
    throw new LocalClusterError('KUBECONFIG_INVALID', `kubeconfig ${kubeconfigPath} has no current context with a cluster`);
  }
  const { version } = await waitForControlPlane(kubeConfig, { timeoutMs: options.timeoutMs ?? 60_000 });
  const stop = async () => {};
  const loadImage = async () => {
    throw new LocalClusterError(
      'NOT_LOCAL',
      `images can be loaded only into the local cluster's own nodes; ${kubeconfigPath} (SPACEKIT_KUBECONFIG) is another cluster: push the image to a registry it can pull from`,
    );
  };
  return { kubeconfigPath, kubeConfig, version, server, external: true, nodes: [], loadImage, stop, [Symbol.asyncDispose]: stop };
}

function readReadyEvent(stdout: Readable, exited: Promise<number | null>, stderr: RingBuffer, timeoutMs: number): Promise<ReadyEvent> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: stdout });
    const timer = setTimeout(() => {
      reject(new LocalClusterError('START_TIMEOUT', `the local control plane did not start within ${timeoutMs / 1000}s`, stderr.tail(40)));
    }, timeoutMs);
    lines.on('line', (line) => {
      try {
        const event = JSON.parse(line) as Partial<ReadyEvent>;
        if (event.event === 'ready') {
          clearTimeout(timer);
          resolve(event as ReadyEvent);
        }
      } catch {
        // Only JSON lines are events; anything else is ignored.
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(
        new LocalClusterError('START_FAILED', `the local control plane exited with code ${code} before it was ready`, stderr.tail(60)),
      );
    });
  });
}

async function terminate(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // The child is unref'd while it runs; waiting for it must keep this process alive.
  child.ref();
  child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000).unref());
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

/** A real node needs root; without it `up` starts the control plane alone and says why. */
function canRunNode(): boolean {
  return process.getuid?.() === 0;
}

async function ensureNodeAddons(options: StartLocalClusterOptions): Promise<Record<string, string>> {
  const build = {
    ...(options.cacheDir !== undefined && { cacheDir: options.cacheDir }),
    ...(options.onProgress !== undefined && { onProgress: options.onProgress }),
  };
  // One at a time: each is a Go build on a machine with few cores.
  const netpol = await ensureAddon(NODE_ADDONS.netpol, build);
  const coredns = await ensureAddon(NODE_ADDONS.coredns, build);
  const gvisor = await ensureGvisor(build);
  return { netpol, coredns, runsc: gvisor.runsc, 'runsc-shim': gvisor.shim };
}

async function loadImages(binary: string, dataDir: string, files: string[]): Promise<void> {
  if (files.length === 0) throw new LocalClusterError('IMAGE_LOAD_FAILED', 'loadImage() needs at least one image archive');
  const output = new RingBuffer();
  const child = spawn(binary, ['image', 'load', '--data-dir', dataDir, ...files], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (c: Buffer) => output.push(c));
  child.stderr.on('data', (c: Buffer) => output.push(c));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) {
    throw new LocalClusterError('IMAGE_LOAD_FAILED', `loading ${files.join(', ')} failed (exit code ${code})`, output.tail(20));
  }
}
