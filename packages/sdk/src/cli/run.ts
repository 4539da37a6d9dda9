import { type LocalCluster, startLocalCluster } from '@spacekit/local-cluster';
import { SpacekitError } from '../errors.ts';
import type { Organization, Space, Tenant } from '../model/index.ts';
import { connect, type Spacekit } from '../spacekit.ts';
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { type CommandLine, defaultMeterDir, type GlobalOptions, type OperatorCommand, type OutputFormat, parseCommandLine, type Ref } from './args.ts';
import { FileMeterStore, formatGapsNotice, formatReport, readReport } from '../meter/index.ts';
import { createLogger } from '../operator/log.ts';
import { runOperator, type RunningOperator } from '../operator/run.ts';
import type { UsageScope } from '../usage/index.ts';
import { CliError, describeError } from './errors.ts';
import { formatData, formatInstallResult, formatSaved } from './output.ts';
import { formatObjects, renderSpaceStack } from './render-command.ts';
import { mergeResources } from './resources.ts';
import { ensureSample } from './sample.ts';
import { formatTree, formatUsage, organizationNode, spaceNode, tenantNode, type TreeNode } from './tree.ts';
import { formatUp } from './up.ts';
import { USAGE } from './usage.ts';

/** Where the CLI reads and writes; the process in production, buffers in tests. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** Resolves on Ctrl-C or SIGTERM; `up`, `operator` and `usage --watch` run until then. */
  untilStopped(): Promise<void>;
  /** True when stdout is a terminal, so that `usage --watch` may redraw in place. */
  interactive?: boolean;
}

/** Runs one `spacekit` command line and returns its exit status: 0 done, 1 failed, 2 usage error. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const line = parseCommandLine(argv, io.env);
    return await execute(line, io);
  } catch (err) {
    const report = describeError(err, { debug: Boolean(io.env.SPACEKIT_DEBUG) });
    io.stderr(`spacekit: ${report.message}\n${report.showUsage ? `\n${USAGE}` : ''}`);
    return report.exitCode;
  }
}

async function execute({ global, command: c }: CommandLine, io: CliIo): Promise<number> {
  const print = (format: OutputFormat, data: unknown, text: () => string) => io.stdout(format === 'text' ? text() : formatData(data, format));
  switch (c.command) {
    case 'help':
      io.stdout(USAGE);
      return 0;
    case 'render': {
      const objects = renderSpaceStack(c.input);
      io.stdout(formatObjects(objects, c.output === 'json' ? 'json' : 'yaml'));
      return 0;
    }
    case 'up':
      return up(global, c.once, c.output, io);
    case 'install': {
      const result = await (await open(global)).install(c.operator ? { operator: c.operator } : {});
      print(c.output, result, () => formatInstallResult(result));
      return 0;
    }
    case 'operator':
      return operator(global, c.options, io);
    case 'usage':
      return usage(await open(global), c.ref, c.watch, c.output, io);
    case 'usage-report':
      return usageReport(c, io);
    case 'uninstall':
      await (await open(global)).uninstall();
      io.stdout('Spacekit uninstalled\n');
      return 0;
    case 'get': {
      const roots = await loadTree(await open(global), c.ref);
      print(c.output, c.ref ? roots[0] : roots, () => formatTree(roots));
      return 0;
    }
    case 'create-org': {
      const org = await (await open(global)).organizations.create(c.input);
      print(c.output, org, () => formatSaved('created', org));
      return 0;
    }
    case 'create-tenant': {
      const tenant = await (await open(global)).tenants.create(c.input);
      print(c.output, tenant, () => formatSaved('created', tenant));
      return 0;
    }
    case 'create-space': {
      const space = await (await open(global)).spaces.create(c.input);
      print(c.output, space, () => formatSaved('created', space));
      return 0;
    }
    case 'update': {
      const updated = await update(await open(global), c.ref, c.resources, c.space);
      print(c.output, updated, () => formatSaved('updated', updated));
      return 0;
    }
    case 'delete': {
      const kit = await open(global);
      const options = { wait: c.wait };
      const ref = c.ref;
      if (ref.level === 'organization') await kit.organizations.delete(ref.organization, options);
      else if (ref.level === 'tenant') await kit.tenants.delete({ organization: ref.organization, name: ref.tenant }, options);
      else await kit.spaces.delete({ organization: ref.organization, tenant: ref.tenant, name: ref.space }, options);
      const what = `${ref.level} ${refPath(ref)}`;
      io.stdout(c.wait ? `deleted ${what}\n` : `deleting ${what}; its namespaces go in the background\n`);
      return 0;
    }
  }
}

function refPath(ref: Ref): string {
  if (ref.level === 'organization') return ref.organization;
  if (ref.level === 'tenant') return `${ref.organization}/${ref.tenant}`;
  return `${ref.organization}/${ref.tenant}/${ref.space}`;
}

/** Connects as the global options say; a kubeconfig that cannot be read is the user's to fix, not a bug. */
async function open(global: GlobalOptions): Promise<Spacekit> {
  try {
    return await connect({
      ...(global.kubeconfig !== undefined && { kubeconfig: global.kubeconfig }),
      ...(global.context !== undefined && { context: global.context }),
    });
  } catch (err) {
    if (err instanceof SpacekitError) throw err;
    const which = global.kubeconfig ?? 'from $KUBECONFIG or ~/.kube/config';
    throw new CliError(`cannot load the kubeconfig ${which}: ${(err as Error).message}`);
  }
}

/** Reads what `get` shows: every organization, or the one object named, with everything below it. */
export async function loadTree(kit: Spacekit, ref?: Ref): Promise<TreeNode[]> {
  if (!ref) {
    const orgs = (await kit.organizations.list()).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    return Promise.all(orgs.map((org) => loadOrganization(kit, org)));
  }
  if (ref.level === 'organization') return [await loadOrganization(kit, await kit.organizations.get(ref.organization))];
  if (ref.level === 'tenant') {
    const [tenant, spaces] = await Promise.all([
      kit.tenants.get({ organization: ref.organization, name: ref.tenant }),
      kit.spaces.list({ organization: ref.organization, tenant: ref.tenant }),
    ]);
    return [tenantNode(tenant, spaces)];
  }
  return [spaceNode(await kit.spaces.get({ organization: ref.organization, tenant: ref.tenant, name: ref.space }))];
}

async function loadOrganization(kit: Spacekit, org: Organization): Promise<TreeNode> {
  const organization = org.metadata.name;
  const [tenants, spaces] = await Promise.all([kit.tenants.list({ organization }), kit.spaces.list({ organization })]);
  return organizationNode(org, tenants, spaces);
}

async function update(
  kit: Spacekit,
  ref: Ref,
  resources: Record<string, string>,
  changes: Extract<CommandLine['command'], { command: 'update' }>['space'],
): Promise<Organization | Tenant | Space> {
  const resize = Object.keys(resources).length > 0;
  if (ref.level === 'organization') {
    const current = await kit.organizations.get(ref.organization);
    return kit.organizations.update(ref.organization, { resources: mergeResources(current.spec.resources, resources) });
  }
  if (ref.level === 'tenant') {
    const tenantRef = { organization: ref.organization, name: ref.tenant };
    const current = await kit.tenants.get(tenantRef);
    return kit.tenants.update(tenantRef, { resources: mergeResources(current.spec.resources, resources) });
  }
  const spaceRef = { organization: ref.organization, tenant: ref.tenant, name: ref.space };
  const current = await kit.spaces.get(spaceRef);
  // A change replaces whole fields, so keep the parts of the network the user did not mention.
  return kit.spaces.update(spaceRef, {
    ...(resize && { resources: mergeResources(current.spec.resources, resources) }),
    ...(changes.sandbox !== undefined && { sandbox: changes.sandbox }),
    ...(changes.podSecurity !== undefined && { podSecurity: changes.podSecurity }),
    ...(changes.network !== undefined && { network: { ...current.spec.network, ...changes.network } }),
  });
}

async function operator(global: GlobalOptions, options: OperatorCommand, io: CliIo): Promise<number> {
  // A long-lived, mostly idle process: V8's heuristics for size over speed keep it well inside its
  // container's memory (a third less resident memory at 5,000 Spaces in `pnpm bench`). Node refuses
  // this flag in NODE_OPTIONS, so it is set here, for the operator only.
  setFlagsFromString('--optimize-for-size');
  const log = createLogger({ write: (line) => io.stderr(line), format: options.logFormat, level: options.logLevel });
  const kit = await open(global);
  const running = await runOperator({
    kubeConfig: kit.kubeConfig,
    metricsAddress: options.metricsAddress,
    ...(options.identity !== undefined && { identity: options.identity }),
    leaderElection: options.leaderElect ? { ...(options.leaseNamespace !== undefined && { namespace: options.leaseNamespace }) } : false,
    ...(options.organizationSelector !== undefined && { organizationSelector: options.organizationSelector }),
    ...(options.workers !== undefined && { workers: options.workers }),
    ...(options.orphanGraceMs !== undefined && { orphanGraceMs: options.orphanGraceMs }),
    meter: options.meterDir === undefined ? false : { dir: options.meterDir, intervalMs: options.meterIntervalMs, ...(options.meterBucketMs !== undefined && { bucketMs: options.meterBucketMs }) },
    log,
  });
  // One line on stdout for whoever started us (a script, a test): where the endpoints are.
  io.stdout(`${JSON.stringify({ event: 'serving', url: running.url })}\n`);
  const outcome = await Promise.race([running.done, io.untilStopped().then(() => undefined)]);
  if (outcome === undefined) {
    log.info('stopping');
    await running.stop();
    return 0;
  }
  // Lost the lease: exit non-zero so that the Deployment restarts this replica as a clean standby.
  return outcome.reason === 'lost-leadership' ? 1 : 0;
}

async function usageRoots(kit: Spacekit, ref: Ref | undefined): Promise<TreeNode[]> {
  if (ref) return [(await kit.usage.snapshot(scopeOf(ref))).root];
  const orgs = (await kit.organizations.list()).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  return Promise.all(orgs.map(async (org) => (await kit.usage.snapshot({ organization: org.metadata.name })).root));
}

function scopeOf(ref: Ref): UsageScope {
  if (ref.level === 'organization') return { organization: ref.organization };
  if (ref.level === 'tenant') return { organization: ref.organization, tenant: ref.tenant };
  return { organization: ref.organization, tenant: ref.tenant, space: ref.space };
}

async function usage(kit: Spacekit, ref: Ref | undefined, watch: boolean, output: OutputFormat, io: CliIo): Promise<number> {
  const show = (roots: TreeNode[], at: string) => {
    if (output !== 'text') {
      // Watching as data: one document per change (JSON lines, or YAML documents).
      io.stdout(watch ? (output === 'json' ? `${JSON.stringify({ at, usage: roots })}\n` : `---\n${formatData({ at, usage: roots }, 'yaml')}`) : formatData(ref ? roots[0] : roots, output));
      return;
    }
    const table = formatUsage(roots);
    if (!watch) io.stdout(table);
    else if (io.interactive) io.stdout(`\x1b[H\x1b[2J${at}  (watching; Ctrl-C stops)\n\n${table}`);
    else io.stdout(`# ${at}\n${table}\n`);
  };
  if (!watch) {
    show(await usageRoots(kit, ref), new Date().toISOString());
    return 0;
  }
  const scopes: UsageScope[] = ref ? [scopeOf(ref)] : (await kit.organizations.list()).map((o) => ({ organization: o.metadata.name })).sort((a, b) => a.organization.localeCompare(b.organization));
  if (scopes.length === 0) {
    io.stdout(formatUsage([]));
    return 0;
  }
  const stop = new AbortController();
  const latest = new Map<string, TreeNode>();
  const watches = scopes.map(async (scope) => {
    for await (const snapshot of kit.usage.watch(scope, { signal: stop.signal })) {
      latest.set(scope.organization + (scope.tenant ? `/${scope.tenant}` : '') + (scope.space ? `/${scope.space}` : ''), snapshot.root);
      if (latest.size === scopes.length) show([...latest.values()], snapshot.at);
    }
  });
  await Promise.race([io.untilStopped(), Promise.all(watches)]);
  stop.abort();
  await Promise.allSettled(watches);
  return 0;
}

async function usageReport(c: Extract<CommandLine['command'], { command: 'usage-report' }>, io: CliIo): Promise<number> {
  if (c.operatorUrl) {
    const url = new URL('/usage/report', c.operatorUrl);
    url.searchParams.set('since', `${Math.round(c.sinceMs / 1000)}s`);
    url.searchParams.set('by', c.by);
    url.searchParams.set('format', c.format);
    let response: Response;
    try {
      response = await fetch(url);
    } catch (err) {
      throw new CliError(`cannot reach the operator at ${c.operatorUrl}: ${(err as Error).message}; is it running (spacekit operator), or port-forwarded?`);
    }
    const body = await response.text();
    if (!response.ok) throw new CliError(`the operator at ${c.operatorUrl} refused the report (${response.status}): ${body.trim()}`);
    io.stdout(body);
    return 0;
  }
  if (!existsSync(c.store)) {
    throw new CliError(`no meter records in ${c.store}: start an operator with metering (spacekit operator --meter-dir ${c.store}), or point --store at its directory`);
  }
  const to = Date.now();
  const report = await readReport(new FileMeterStore(c.store), { from: to - c.sinceMs, to, by: c.by });
  io.stdout(formatReport(report, c.format));
  // CSV has no room for gaps; say them beside it, where a pipe into a file does not swallow them.
  if (c.format === 'csv') {
    const gaps = formatGapsNotice(report);
    if (gaps) io.stderr(gaps);
  }
  return 0;
}

/** One line on the local cluster's real nodes: what runs pods, or why nothing does. */
function describeNodes(cluster: LocalCluster): string {
  if (cluster.nodes.length === 0) return `none: pods are admitted but do not run (${cluster.nodesSkipped ?? 'started with no real node'})`;
  return cluster.nodes.map((n) => `${n.name} Ready (${n.ip}, pods ${n.podCIDR}, runtimes ${n.runtimes.join(', ')})`).join('; ');
}

async function up(global: GlobalOptions, once: boolean, output: OutputFormat, io: CliIo): Promise<number> {
  const progress = (message: string) => io.stderr(`spacekit: ${message}\n`);
  // An explicit --kubeconfig means "use that cluster"; otherwise the launcher honours $SPACEKIT_KUBECONFIG.
  const cluster = await startLocalCluster({ onProgress: progress, ...(global.kubeconfig !== undefined && { kubeconfig: global.kubeconfig }) });
  let operator: RunningOperator | undefined;
  try {
    progress(cluster.external ? `using the existing cluster at ${cluster.server}` : `control plane ${cluster.version} is serving at ${cluster.server}`);
    const kit = await connect({ kubeconfig: cluster.kubeConfig, ...(global.context !== undefined && { context: global.context }) });
    // On the local control plane the operator runs here, so its Deployment stays at zero replicas; an existing
    // cluster keeps whatever operator it has, untouched.
    const installed = await kit.install(cluster.external ? {} : { operator: { replicas: 0 } });
    progress(installed.changed.length > 0 ? `installed Spacekit (${installed.changed.length} objects)` : 'Spacekit is already installed');
    const sample = await ensureSample(kit);
    for (const what of sample.created) progress(`created ${what}`);
    if (sample.existing.length > 0) progress(`kept what exists: ${sample.existing.join(', ')}`);
    if (!once && !cluster.external) {
      const meterDir = defaultMeterDir(io.env);
      operator = await runOperator({
        kubeConfig: cluster.kubeConfig,
        metricsAddress: '127.0.0.1:0',
        leaderElection: {},
        meter: { dir: meterDir },
        log: createLogger({ write: (line) => io.stderr(line), format: 'text', level: 'warn' }),
      });
      progress(`the operator runs here: Space and Tenant objects written by anyone are provisioned; metrics at ${operator.url}/metrics; metering into ${meterDir}`);
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
        : formatData({ kubeconfig: cluster.kubeconfigPath, external: cluster.external, sample, tree, ...(operator && { operator: operator.url }) }, output),
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
}
