#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { ApisApi } from '@kubernetes/client-node';
import { ensureControlPlaneBinary } from './binary.ts';
import { LocalClusterError } from './errors.ts';
import { controlPlaneChecks } from './readiness.ts';
import { type LocalCluster, startLocalCluster } from './start.ts';

const USAGE = `usage: spacekit-local-cluster <command>

commands:
  up [--once] [--json] [--nodes 0|1] [--kwok-nodes N]
                         start the local control plane (or use $SPACEKIT_KUBECONFIG) with
                         one real node (kubelet, containerd, CNI, kube-proxy, NetworkPolicy
                         engine, DNS; needs root), print what it serves, and keep it running
                         until Ctrl-C; --once stops it right after printing; --nodes 0 runs
                         no real node; --kwok-nodes N adds N simulated nodes (kwok)
  image load FILE...     import image archives (OCI layout or docker save tar) into the real
                         node of the cluster that is running (SPACEKIT_CLUSTER_DIR, or the
                         data folder given with --data-dir)
  build                  build the control plane binary into the cache (no-op when cached)
  kubectl ARGS...        run the kubectl that matches the control plane's version
`;

const progress = (message: string) => process.stderr.write(`spacekit: ${message}\n`);

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'up':
      return up(args);
    case 'image':
      return image(args);
    case 'build': {
      const binary = await ensureControlPlaneBinary({ onProgress: progress });
      console.log(binary.path);
      return 0;
    }
    case 'kubectl': {
      const binary = await ensureControlPlaneBinary({ onProgress: progress });
      const child = spawn(binary.path, ['kubectl', ...args], { stdio: 'inherit' });
      return new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`spacekit-local-cluster: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

const UP_OPTIONS = {
  once: { type: 'boolean' },
  json: { type: 'boolean' },
  nodes: { type: 'string' },
  'kwok-nodes': { type: 'string' },
} as const;

async function up(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof UP_OPTIONS; strict: true; allowPositionals: false }>>['values'];
  try {
    parsed = parseArgs({
      args,
      options: UP_OPTIONS,
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    process.stderr.write(`spacekit-local-cluster up: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const nodes = parsed.nodes === undefined ? 1 : Number(parsed.nodes);
  if (nodes !== 0 && nodes !== 1) {
    process.stderr.write(`spacekit-local-cluster up: --nodes takes 0 or 1 (one real node per local cluster), not "${parsed.nodes}"\n`);
    return 2;
  }
  const kwokNodes = parsed['kwok-nodes'] === undefined ? 0 : Number(parsed['kwok-nodes']);
  if (!Number.isInteger(kwokNodes) || kwokNodes < 0) {
    process.stderr.write(`spacekit-local-cluster up: --kwok-nodes takes a whole number of 0 or more, not "${parsed['kwok-nodes']}"\n`);
    return 2;
  }
  const once = parsed.once ?? false;
  const json = parsed.json ?? false;
  const cluster = await startLocalCluster({ onProgress: progress, nodes, kwokNodes });
  if (cluster.nodesSkipped) progress(`no real node: ${cluster.nodesSkipped}`);
  const summary = await describe(cluster, kwokNodes);
  process.stdout.write(json ? `${JSON.stringify(summary)}\n` : render(summary));
  if (once) {
    await cluster.stop();
    return 0;
  }
  // Signal listeners do not keep Node alive and the control plane's process is unref'd, so hold a timer until a signal.
  const keepAlive = setInterval(() => {}, 1 << 30);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(keepAlive);
  progress('stopping');
  await cluster.stop();
  return 0;
}

interface Summary {
  server: string;
  version: string;
  kubeconfig: string;
  external: boolean;
  binary?: string;
  dataDir?: string;
  logDir?: string;
  components: Record<string, number | string>;
  apiGroups: string[];
  nodes: string[];
  nodesSkipped?: string;
  checks: string[];
}

const IMAGE_OPTIONS = { 'data-dir': { type: 'string' } } as const;

async function image(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof IMAGE_OPTIONS; strict: true; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args, options: IMAGE_OPTIONS, strict: true, allowPositionals: true });
  } catch (err) {
    process.stderr.write(`spacekit-local-cluster image: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [sub, ...files] = parsed.positionals;
  const dataDir = parsed.values['data-dir'] ?? process.env.SPACEKIT_CLUSTER_DIR;
  if (sub !== 'load' || files.length === 0) {
    process.stderr.write(`spacekit-local-cluster image: usage: image load [--data-dir DIR] FILE...\n`);
    return 2;
  }
  if (!dataDir) {
    process.stderr.write(
      'spacekit-local-cluster image load: which cluster? Pass --data-dir with the data folder that `up` printed, or set SPACEKIT_CLUSTER_DIR to it\n',
    );
    return 2;
  }
  const binary = await ensureControlPlaneBinary({ onProgress: progress });
  const child = spawn(binary.path, ['image', 'load', '--data-dir', dataDir, ...files], { stdio: 'inherit' });
  return new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
}

async function describe(cluster: LocalCluster, kwokNodes: number): Promise<Summary> {
  const groups = await cluster.kubeConfig.makeApiClient(ApisApi).getAPIVersions();
  return {
    server: cluster.server,
    version: cluster.version,
    kubeconfig: cluster.kubeconfigPath,
    external: cluster.external,
    ...(cluster.binary && { binary: cluster.binary.path }),
    ...(cluster.process && { dataDir: cluster.process.dataDir, logDir: cluster.process.logDir }),
    components: cluster.process
      ? { etcd: `in-process (pid ${cluster.process.pid})`, ...cluster.process.components }
      : { cluster: 'existing (SPACEKIT_KUBECONFIG)' },
    apiGroups: ['v1', ...groups.groups.map((g) => g.preferredVersion?.groupVersion ?? g.name)],
    nodes: cluster.nodes.map((n) => `${n.name} ${n.ip} pods ${n.podCIDR} runtimes ${n.runtimes.join(',')}`),
    ...(cluster.nodesSkipped && { nodesSkipped: cluster.nodesSkipped }),
    checks: controlPlaneChecks(cluster.kubeConfig, { kwokNodes, realNodes: cluster.nodes.map((n) => n.name) }).map((c) => c.name),
  };
}

function render(s: Summary): string {
  const components = Object.entries(s.components)
    .map(([name, pid]) => `    ${name.padEnd(20)} ${typeof pid === 'number' ? `pid ${pid}` : pid}`)
    .join('\n');
  return `Spacekit local control plane: Kubernetes ${s.version}${s.external ? ' (existing cluster)' : ''}
  server       ${s.server}
  kubeconfig   ${s.kubeconfig}
${s.dataDir ? `  data         ${s.dataDir}\n  logs         ${s.logDir}\n` : ''}  components
${components}
  nodes        ${s.nodes.length > 0 ? s.nodes.join('\n               ') : `none${s.nodesSkipped ? ` (${s.nodesSkipped})` : ''}`}
  ready        ${s.checks.join('\n               ')}
  API groups   ${s.apiGroups.length}: ${s.apiGroups.join(', ')}

Use it:  KUBECONFIG=${s.kubeconfig} pnpm cluster kubectl get namespaces
`;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof LocalClusterError) process.stderr.write(`spacekit: ${err.message}\n`);
    else process.stderr.write(`spacekit: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  },
);
