import type * as LocalCluster from '@spacekit/local-cluster';
import { defineCommand, type OutputFormat, OUTPUT_FLAG, outputFormat } from '../define.ts';
import { CliError } from '../errors.ts';

export interface UpCommand {
  command: 'up';
  once: boolean;
  output: OutputFormat;
}

/** The package `up` starts the control plane with: optional for people who only talk to a cluster they have. */
export const LOCAL_CLUSTER_PACKAGE = '@spacekit/local-cluster';

/**
 * Loads the local control plane's launcher, which only `up` needs and npm
 * users may not have installed.
 *
 * @throws {CliError} naming the package to install (and Go, which builds the binary) when it is missing.
 */
/** One line on the local cluster's real nodes: what runs pods, or why nothing does. */
function describeNodes(cluster: LocalCluster.LocalCluster): string {
  if (cluster.nodes.length === 0) return `none: pods are admitted but do not run (${cluster.nodesSkipped ?? 'started with no real node'})`;
  return cluster.nodes.map((n) => `${n.name} Ready (${n.ip}, pods ${n.podCIDR}, runtimes ${n.runtimes.join(', ')})`).join('; ');
}

export async function loadLocalCluster(
  load: () => Promise<typeof LocalCluster> = () => import('@spacekit/local-cluster'),
): Promise<typeof LocalCluster> {
  try {
    return await load();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (
      (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
      String((err as Error).message).includes(LOCAL_CLUSTER_PACKAGE)
    ) {
      throw new CliError(
        `spacekit up starts a local control plane, which comes in the optional package ${LOCAL_CLUSTER_PACKAGE}; install it beside @spacekit/sdk ` +
          `(npm install ${LOCAL_CLUSTER_PACKAGE}), and Go 1.26 or newer (go.dev/dl), which builds the control plane on the first start (about 15 minutes, then cached). ` +
          'To use a cluster you already have, skip up: spacekit --kubeconfig PATH install, then spacekit create org ...',
        { cause: err },
      );
    }
    throw err;
  }
}

/** `spacekit up`: the local control plane with Spacekit, a sample and the operator. */
export const up = defineCommand({
  words: ['up'],
  summary:
    'start a local control plane with Spacekit installed and a sample organization "demo"; runs until Ctrl-C (--once: stop after printing). Needs @spacekit/local-cluster and Go, or $SPACEKIT_KUBECONFIG',
  flags: { once: { type: 'boolean' }, ...OUTPUT_FLAG },
  parse: ({ values }): UpCommand => ({ command: 'up', once: values.once ?? false, output: outputFormat(values.output) }),
  async run({ once, output }, { global, io }) {
    const { startLocalCluster } = await loadLocalCluster();
    const [{ connect }, { runOperator }, { createLogger }, { ensureSample }, { loadTree }, { formatUp }, { formatData }] =
      await Promise.all([
        import('../../spacekit.ts'),
        import('../../operator/run.ts'),
        import('../../operator/log.ts'),
        import('../sample.ts'),
        import('../load-tree.ts'),
        import('../up.ts'),
        import('../output.ts'),
      ]);
    const progress = (message: string) => io.stderr(`spacekit: ${message}\n`);
    // An explicit --kubeconfig means "use that cluster"; otherwise the launcher honours $SPACEKIT_KUBECONFIG.
    const cluster = await startLocalCluster({
      onProgress: progress,
      ...(global.kubeconfig !== undefined && { kubeconfig: global.kubeconfig }),
    });
    let operator: Awaited<ReturnType<typeof runOperator>> | undefined;
    try {
      progress(
        cluster.external
          ? `using the existing cluster at ${cluster.server}`
          : `control plane ${cluster.version} is serving at ${cluster.server}`,
      );
      const kit = await connect({ kubeconfig: cluster.kubeConfig, ...(global.context !== undefined && { context: global.context }) });
      // On the local control plane the operator runs here, so its Deployment stays at zero replicas; an existing
      // cluster keeps whatever operator it has, untouched.
      const installed = await kit.install(cluster.external ? {} : { operator: { replicas: 0 } });
      progress(installed.changed.length > 0 ? `installed Spacekit (${installed.changed.length} objects)` : 'Spacekit is already installed');
      const sample = await ensureSample(kit);
      for (const what of sample.created) progress(`created ${what}`);
      if (sample.existing.length > 0) progress(`kept what exists: ${sample.existing.join(', ')}`);
      if (!once && !cluster.external) {
        operator = await runOperator({
          kubeConfig: cluster.kubeConfig,
          metricsAddress: '127.0.0.1:0',
          leaderElection: {},
          meter: {},
          log: createLogger({ write: (line) => io.stderr(line), format: 'text', level: 'warn' }),
        });
        progress(
          `the operator runs here: Space and Tenant objects written by anyone are provisioned; metrics at ${operator.url}/metrics; metering into the cluster (spacekit usage report)`,
        );
      }
      const tree = await loadTree(kit);
      io.stdout(
        output === 'text'
          ? formatUp({
              tree,
              kubeconfigPath: cluster.kubeconfigPath,
              external: cluster.external,
              once,
              ...(operator && { operatorUrl: operator.url }),
              ...(!cluster.external && { nodes: describeNodes(cluster) }),
            })
          : formatData(
              { kubeconfig: cluster.kubeconfigPath, external: cluster.external, sample, tree, ...(operator && { operator: operator.url }) },
              output,
            ),
      );
      if (!once) {
        progress(cluster.external ? 'press Ctrl-C to exit (the existing cluster keeps running)' : 'the control plane runs until Ctrl-C');
        await io.untilStopped();
        if (!cluster.external) progress('stopping the operator and the control plane');
      }
    } finally {
      await operator?.stop();
      await cluster.stop();
    }
    return 0;
  },
});
