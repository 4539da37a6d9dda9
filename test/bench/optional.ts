import { ephemeralSpace } from '@spacekit/sdk/testing';
import { type BenchContext, runCommand } from './context.ts';
import type { BenchResults } from './report.ts';
import { summarize } from './stats.ts';
import { buildViewTree, findNode, flatten, type ViewNode } from '../../packages/vscode-extension/src/model/viewTree.ts';

/**
 * The test harness's round trip: `ephemeralSpace()` to Ready (scoped
 * credentials included), then `dispose()` until its namespace is gone.
 */
export async function ephemeralRoundTrip(ctx: BenchContext, rounds: number): Promise<NonNullable<BenchResults['ephemeral']>> {
  const organization = 'bench-ephemeral';
  await ctx.kit.organizations.create({ name: organization, resources: { cpu: 8, memory: '16Gi' } });
  await ctx.kit.tenants.create({ organization, name: 'ci', resources: { cpu: 8, memory: '16Gi' } });
  const t = {
    toReady: [] as number[],
    dispose: [] as number[],
    roundTrip: [] as number[],
    noWait: [] as number[],
    namespace: [] as number[],
  };
  for (let i = 0; i < rounds + 1; i++) {
    const start = performance.now();
    const space = await ephemeralSpace(ctx.kit, { tenant: { organization, name: 'ci' } });
    const ready = performance.now();
    await space.dispose();
    const done = performance.now();
    const quickStart = performance.now();
    const quick = await ephemeralSpace(ctx.kit, { tenant: { organization, name: 'ci' } });
    await quick.dispose({ wait: false });
    const quickDone = performance.now();
    // The same wait with nothing of Spacekit in it: an empty namespace made and deleted by kubectl.
    const nsStart = performance.now();
    await runCommand(ctx.kubectl, ['--kubeconfig', ctx.kubeconfigPath, 'create', 'namespace', `bench-ns-${i}`]);
    await runCommand(ctx.kubectl, ['--kubeconfig', ctx.kubeconfigPath, 'delete', 'namespace', `bench-ns-${i}`, '--wait=true']);
    const nsDone = performance.now();
    // The first round warms the connection and the access reviews; it is not counted.
    if (i === 0) continue;
    t.toReady.push(ready - start);
    t.dispose.push(done - ready);
    t.roundTrip.push(done - start);
    t.noWait.push(quickDone - quickStart);
    t.namespace.push(nsDone - nsStart);
  }
  await ctx.kit.organizations.delete(organization, { timeoutMs: 30 * 60_000 });
  return {
    rounds,
    roundTrip: summarize(t.roundTrip),
    toReady: summarize(t.toReady),
    dispose: summarize(t.dispose),
    roundTripNoWait: summarize(t.noWait),
    kubectlNamespace: summarize(t.namespace),
  };
}

/**
 * The VS Code extension's model layer, in process: building the Spaces
 * view (every row's label, usage description, tooltip and icon) from an
 * organization's usage snapshot; and, with the operator running, the delay
 * from a quota change (a pod created in a Space) to the view model showing
 * it, through the operator, the watch and the model, as the extension runs
 * them. The editor's own redraw debounce (`spacekit.refreshDebounceMs`)
 * comes on top.
 */
export async function editorModel(ctx: BenchContext, organization: string, rounds: number): Promise<NonNullable<BenchResults['editor']>> {
  const scope = { organization };
  const read: number[] = [];
  const build: number[] = [];
  let spaces = 0;
  for (let i = 0; i < rounds + 1; i++) {
    const start = performance.now();
    const snapshot = await ctx.kit.usage.snapshot(scope);
    const fetched = performance.now();
    const rows = flatten(buildViewTree([{ kind: 'readable', scope, node: snapshot.root }]));
    const built = performance.now();
    spaces = rows.filter((r) => r.kind === 'Space').length;
    if (i === 0) continue;
    read.push(fetched - start);
    build.push(built - fetched);
  }

  const tenant = { organization, tenant: 't0' };
  const stop = new AbortController();
  let latest: ViewNode[] = [];
  let changed: (() => void) | undefined;
  const watching = (async () => {
    for await (const snapshot of ctx.kit.usage.watch(tenant, { signal: stop.signal })) {
      latest = buildViewTree([{ kind: 'readable', scope: tenant, node: snapshot.root }]);
      changed?.();
    }
  })();
  while (latest.length === 0) await new Promise((r) => setTimeout(r, 20));
  const delays: number[] = [];
  const targets = flatten(latest)
    .filter((n) => n.kind === 'Space')
    .slice(0, rounds);
  for (const [i, row] of targets.entries()) {
    const before = row.usage?.used['requests.cpu'] ?? '0';
    const namespace = `${organization}--t0--${row.scope.space}`;
    const start = performance.now();
    await ctx.client.create(pod(`bench-${i}`, namespace));
    await new Promise<void>((resolve) => {
      const check = () => {
        const now = findNode(latest, row.id);
        if ((now?.usage?.used['requests.cpu'] ?? '0') !== before) resolve();
      };
      changed = check;
      check();
    });
    delays.push(performance.now() - start);
  }
  changed = undefined;
  stop.abort();
  await watching;
  return { spaces, readSnapshot: summarize(read), buildAndRender: summarize(build), changeToTree: summarize(delays) };
}

/** A pod Pod Security `restricted` admits; it counts against the quota the moment it exists, scheduled or not. */
function pod(name: string, namespace: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: {
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'app',
          image: 'registry.k8s.io/pause:3.10',
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
    },
  };
}
