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
  up [--once] [--json] [--nodes N]
                         start the local control plane (or use $SPACEKIT_KUBECONFIG), print
                         what it serves, and keep it running until Ctrl-C; --once stops it
                         right after printing; --nodes N adds N kwok fake nodes on which
                         pods reach Running
  build                  build the control plane binary into the cache (no-op when cached)
  kubectl ARGS...        run the kubectl that matches the control plane's version
`;

const progress = (message: string) => process.stderr.write(`spacekit: ${message}\n`);

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'up':
      return up(args);
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

async function up(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { once: { type: 'boolean' }, json: { type: 'boolean' }, nodes: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    process.stderr.write(`spacekit-local-cluster up: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const nodes = parsed.nodes === undefined ? 0 : Number(parsed.nodes);
  if (!Number.isInteger(nodes) || nodes < 0) {
    process.stderr.write(`spacekit-local-cluster up: --nodes takes a whole number of 0 or more, not "${parsed.nodes}"\n`);
    return 2;
  }
  const once = parsed.once ?? false;
  const json = parsed.json ?? false;
  const cluster = await startLocalCluster({ onProgress: progress, nodes });
  const summary = await describe(cluster, nodes);
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
  checks: string[];
}

async function describe(cluster: LocalCluster, nodes: number): Promise<Summary> {
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
    checks: controlPlaneChecks(cluster.kubeConfig, { nodes }).map((c) => c.name),
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
