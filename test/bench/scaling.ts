// Budgets at scale (issue 16): what one create costs as one tenant grows. Today's tenant keeps an
// O(Spaces) ledger in its status, so every create rewrites a tenant that grows with its Spaces; this
// scenario measures whatever the code does, and the report turns it into targets.
import { HttpMethod } from '@kubernetes/client-node';
import { connect, GROUP_VERSION } from '@spacekit/sdk';
import type { BenchContext } from './context.ts';
import { type CountingProxy, isWrite, type ProxiedRequest, startCountingProxy } from './counting-proxy.ts';
import { requestKind } from './profile.ts';
import { pool, type Summary, summarize } from './stats.ts';

const SIZE = { cpu: '100m', memory: '128Mi' };
const ORGANIZATION = 'bench-scale';
const TENANT = 't';

/** A Spacekit object as stored, by its JSON size. */
export interface ObjectSize {
  kind: 'Organization' | 'Tenant' | 'Space';
  name: string;
  bytes: number;
}

/** One step: the tenant filled to `spaces`, then sample creates. */
export interface ScalingStep {
  /** Spaces in the tenant when the first sample create started. */
  spaces: number;
  /** Spaces created to reach this step, and how fast (with `concurrency` in flight). */
  filled: number;
  fillPerSecond: number;
  /** Create → Ready of one Space, sampled one at a time through the counting proxy. */
  createMs: Summary;
  /** Per create, medians over the samples: non-GET requests, their bytes on the wire and their bodies' bytes. */
  writes: number;
  writeBytes: number;
  bodyBytes: number;
  /** Mean bytes per create by kind of write (`PUT tenants/status`), largest first. */
  writeKinds: { request: string; bytes: number }[];
  /** 409s the samples met (a ledger write that lost a race is written again). */
  conflicts: number;
  /** When the step was reached, before the samples. */
  tenantBytes: number;
  largest: ObjectSize;
}

export interface ScalingResult {
  organization: string;
  samples: number;
  concurrency: number;
  /** Spaces of other scenarios still in place on the control plane meanwhile. */
  background: number;
  steps: ScalingStep[];
  /** Set when a step could not be reached: how far it got and what the API server said. */
  stopped?: { spaces: number; error: string };
  deleteSeconds: number;
  deleteError?: string;
}

/**
 * Grows one tenant through `steps` (Spaces in place), filling each step
 * through the embedded SDK with `concurrency` creates in flight, and at
 * each step times `samples` creates, one at a time, through a second SDK
 * connection whose every request passes the counting proxy. Deletes the
 * organization at the end, also after a failure.
 */
export async function scaling(
  ctx: BenchContext,
  options: { steps: readonly number[]; samples: number; concurrency: number; background: number },
): Promise<ScalingResult> {
  const { steps, samples, concurrency, background } = options;
  // Each step adds a warm-up and the samples on top of its size.
  const total = Math.max(...steps) + steps.length * (samples + 1);
  const resources = { cpu: Math.ceil(total / 10) + 1, memory: `${(total + 8) * 128}Mi` };
  await ctx.kit.organizations.create({ name: ORGANIZATION, resources });
  await ctx.kit.tenants.create({ organization: ORGANIZATION, name: TENANT, resources });
  let proxy: CountingProxy | undefined;
  const result: ScalingResult = { organization: ORGANIZATION, samples, concurrency, background, steps: [], deleteSeconds: 0 };
  // Names are taken as creates start; `made` counts those that finished, which is what a stopped run reports.
  let existing = 0;
  let made = 0;
  const create = async (kit: typeof ctx.kit) => {
    await kit.spaces.create({ organization: ORGANIZATION, tenant: TENANT, name: `s${existing++}`, resources: SIZE });
    made++;
  };
  try {
    proxy = await startCountingProxy(ctx.kit.kubeConfig, ctx.scratch);
    const measured = await connect({ kubeconfig: proxy.kubeConfig });
    for (const step of steps) {
      try {
        // The warm-up create below is the step's own Space: the samples then start at `step` in place.
        const filled = Math.max(0, step - 1 - existing);
        const started = performance.now();
        await pool(
          Array.from({ length: filled }, (_, i) => i),
          concurrency,
          async (i) => {
            await create(ctx.kit);
            if ((i + 1) % 250 === 0) ctx.log(`scaling: ${i + 1}/${filled} towards ${step}`);
          },
        );
        const fillSeconds = (performance.now() - started) / 1000;
        // The sampling connection's first create warms its connection and its cached tenant, which the fill made stale.
        await create(measured);
        result.steps.push(await sample(ctx, measured, proxy, samples, create, { spaces: made, filled, fillSeconds }));
        const last = result.steps.at(-1);
        ctx.log(
          `scaling: ${last?.spaces} Spaces: create ${last?.createMs.median.toFixed(0)} ms, ${last?.writeBytes} bytes in ${last?.writes} writes, tenant ${last?.tenantBytes} bytes`,
        );
      } catch (err) {
        result.stopped = { spaces: made, error: (err as Error).message };
        ctx.log(`scaling: stopped at ${made} Spaces: ${result.stopped.error}`);
        break;
      }
    }
  } finally {
    await proxy?.stop();
    ctx.log(`scaling: deleting the organization and its ${made} Spaces`);
    const deleting = performance.now();
    try {
      await ctx.kit.organizations.delete(ORGANIZATION, { timeoutMs: 4 * 60 * 60_000 });
    } catch (err) {
      // A store that refused writes (etcd over its quota, say) refuses the deletion too; the control plane goes with the run.
      result.deleteError = (err as Error).message;
      ctx.log(`scaling: deleting failed: ${result.deleteError}`);
    }
    result.deleteSeconds = (performance.now() - deleting) / 1000;
  }
  return result;
}

async function sample(
  ctx: BenchContext,
  measured: BenchContext['kit'],
  proxy: CountingProxy,
  samples: number,
  create: (kit: BenchContext['kit']) => Promise<unknown>,
  at: { spaces: number; filled: number; fillSeconds: number },
): Promise<ScalingStep> {
  // Sized before the samples, so that sizes belong to exactly the step's number of Spaces.
  const sizes = await objectSizes(ctx);
  const times: number[] = [];
  const perCreate: ProxiedRequest[][] = [];
  let conflicts = 0;
  measured.client.raw.onRequest = (r) => {
    if (r.status === 409) conflicts++;
  };
  try {
    for (let i = 0; i < samples; i++) {
      const writes: ProxiedRequest[] = [];
      proxy.onRequest = (r) => {
        if (isWrite(r.method)) writes.push(r);
      };
      const start = performance.now();
      await create(measured);
      times.push(performance.now() - start);
      perCreate.push(writes);
    }
  } finally {
    proxy.onRequest = undefined;
    measured.client.raw.onRequest = undefined;
  }
  const sum = (rs: ProxiedRequest[], f: (r: ProxiedRequest) => number) => rs.reduce((a, r) => a + f(r), 0);
  const kinds = new Map<string, number>();
  for (const r of perCreate.flat()) kinds.set(requestKind(r.method, r.path), (kinds.get(requestKind(r.method, r.path)) ?? 0) + r.bytes);
  return {
    spaces: at.spaces,
    filled: at.filled,
    fillPerSecond: at.filled / at.fillSeconds,
    createMs: summarize(times),
    writes: summarize(perCreate.map((rs) => rs.length)).median,
    writeBytes: summarize(perCreate.map((rs) => sum(rs, (r) => r.bytes))).median,
    bodyBytes: summarize(perCreate.map((rs) => sum(rs, (r) => r.bodyBytes))).median,
    writeKinds: [...kinds].map(([request, bytes]) => ({ request, bytes: bytes / samples })).sort((a, b) => b.bytes - a.bytes),
    conflicts,
    tenantBytes: sizes.find((s) => s.kind === 'Tenant')?.bytes ?? Number.NaN,
    largest: sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a)),
  };
}

/** The organization, the tenant and its largest Space, each as a GET returns it (which is what etcd stores). */
async function objectSizes(ctx: BenchContext): Promise<ObjectSize[]> {
  const raw = ctx.kit.client.raw;
  const get = async (kind: ObjectSize['kind'], name: string, path: string): Promise<ObjectSize> => ({
    kind,
    name,
    bytes: Buffer.byteLength(JSON.stringify(await raw.request(HttpMethod.GET, path))),
  });
  const spacesPath = `/apis/${GROUP_VERSION}/namespaces/${ORGANIZATION}--${TENANT}/spaces`;
  // Listed items lack apiVersion and kind, so the largest is found in the list and then read on its own.
  const { items } = await raw.request<{ items: { metadata: { name: string } }[] }>(HttpMethod.GET, spacesPath);
  const biggest = items.reduce<{ name: string; n: number }>(
    (a, s) => {
      const n = JSON.stringify(s).length;
      return n > a.n ? { name: s.metadata.name, n } : a;
    },
    { name: '', n: -1 },
  );
  return Promise.all([
    get('Organization', ORGANIZATION, `/apis/${GROUP_VERSION}/organizations/${ORGANIZATION}`),
    get('Tenant', `${ORGANIZATION}/${TENANT}`, `/apis/${GROUP_VERSION}/namespaces/${ORGANIZATION}/tenants/${TENANT}`),
    get('Space', `${ORGANIZATION}/${TENANT}/${biggest.name}`, `${spacesPath}/${biggest.name}`),
  ]);
}
