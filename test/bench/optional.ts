import { ephemeralSpace } from '@spacekit/sdk/testing';
import type { BenchContext } from './context.ts';
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
  const toReady: number[] = [];
  const dispose: number[] = [];
  const roundTrip: number[] = [];
  for (let i = 0; i < rounds + 1; i++) {
    const start = performance.now();
    const space = await ephemeralSpace(ctx.kit, { tenant: { organization, name: 'ci' } });
    const ready = performance.now();
    await space.dispose();
    const done = performance.now();
    // The first round warms the connection and the access reviews; it is not counted.
    if (i === 0) continue;
    toReady.push(ready - start);
    dispose.push(done - ready);
    roundTrip.push(done - start);
  }
  await ctx.kit.organizations.delete(organization);
  return { rounds, roundTrip: summarize(roundTrip), toReady: summarize(toReady), dispose: summarize(dispose) };
}

/** The extension's model layer with many Spaces; measured once the extension exposes it. */
export async function editorModel(_ctx: BenchContext, _spaces: number): Promise<NonNullable<BenchResults['editor']>> {
  return { skipped: 'the extension model benchmark is not wired yet' };
}
