import { ephemeralSpace } from '@spacekit/sdk/testing';
import { type BenchContext, runCommand } from './context.ts';
import type { BenchResults } from './report.ts';
import { summarize } from './stats.ts';

/**
 * The test harness's round trip: `ephemeralSpace()` to Ready (scoped
 * credentials included), then `dispose()` until its namespace is gone.
 */
export async function ephemeralRoundTrip(ctx: BenchContext, rounds: number): Promise<NonNullable<BenchResults['ephemeral']>> {
  const organization = 'bench-ephemeral';
  await ctx.kit.organizations.create({ name: organization, resources: { cpu: 8, memory: '16Gi' } });
  await ctx.kit.tenants.create({ organization, name: 'ci', resources: { cpu: 8, memory: '16Gi' } });
  const t = { toReady: [] as number[], dispose: [] as number[], roundTrip: [] as number[], noWait: [] as number[], namespace: [] as number[] };
  for (let i = 0; i < rounds + 1; i++) {
    const start = performance.now();
    const space = await ephemeralSpace(ctx.kit, { tenant: { organization, name: 'ci' } });
    const ready = performance.now();
    await space.dispose();
    const done = performance.now();
    const quick = await ephemeralSpace(ctx.kit, { tenant: { organization, name: 'ci' } });
    const quickReady = performance.now();
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
    t.noWait.push(quickDone - quickReady + (quickReady - start));
    t.namespace.push(nsDone - nsStart);
  }
  await ctx.kit.organizations.delete(organization);
  return {
    rounds,
    roundTrip: summarize(t.roundTrip),
    toReady: summarize(t.toReady),
    dispose: summarize(t.dispose),
    roundTripNoWait: summarize(t.noWait),
    kubectlNamespace: summarize(t.namespace),
  };
}

/** The extension's model layer with many Spaces; measured once the extension exposes it. */
export async function editorModel(_ctx: BenchContext, _spaces: number): Promise<NonNullable<BenchResults['editor']>> {
  return { skipped: 'the extension model benchmark is not wired yet' };
}
