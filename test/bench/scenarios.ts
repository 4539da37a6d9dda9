import { HttpMethod } from '@kubernetes/client-node';
import type { RequestRecord } from '@spacekit/sdk';
import { type BenchContext, createRaw, deleteNamespaces, manifestFile, quotaEnforcedIn, renderedSpace, runCommand } from './context.ts';
import { costsOf, type RequestCost } from './profile.ts';
import { pool, type Summary, summarize } from './stats.ts';

const SIZE = { cpu: '100m', memory: '128Mi' };

/** One Space, create → Ready, three ways. */
export interface OneSpaceResult {
  /** Ready: every object made and Kubernetes enforcing the quota, so a pod can be admitted. */
  sdk: Summary;
  kubectl: Summary;
  floor: Summary;
  /** kubectl's own run, without the wait for the quota that makes it comparable. */
  kubectlApplyOnly: Summary;
  /** The floor's requests, without the wait for the quota. */
  floorCreateOnly: Summary;
  sdkToKubectl: number;
  sdkToFloor: number;
  /** Requests one SDK create sends (reads and writes, counted). */
  sdkRequests: number;
  floorRequests: number;
  /** One SDK create's requests in order: where its time goes. */
  profile: { method: string; path: string; startMs: number; durationMs: number }[];
  /** What one write of one small object costs the API server, one request at a time, by how it is sent. */
  writeCosts: { way: string; summary: Summary }[];
}

/**
 * One Space, create → Ready: the SDK embedded; `kubectl apply --server-side`
 * of what `spacekit render` prints; and the floor, raw parallel requests over
 * a warm connection. Interleaved, after warm-up rounds, so that drift in the
 * machine's load hits all three alike.
 */
export async function oneSpace(ctx: BenchContext, rounds: number): Promise<OneSpaceResult> {
  const org = 'bench-latency';
  await ctx.kit.organizations.create({ name: org, resources: { cpu: 64, memory: '256Gi' } });
  await ctx.kit.tenants.create({ organization: org, name: 't', resources: { cpu: 64, memory: '256Gi' } });
  const made: string[] = [];
  const times = {
    sdk: [] as number[],
    kubectl: [] as number[],
    floor: [] as number[],
    kubectlApplyOnly: [] as number[],
    floorCreateOnly: [] as number[],
  };
  let sdkRequests = 0;
  let floorRequests = 0;
  const traces: { took: number; requests: OneSpaceResult['profile'] }[] = [];
  const warmup = 2;

  const ways = {
    sdk: async (i: number, measured: boolean) => {
      const before = ctx.kit.client.raw.requests.count;
      const trace: RequestRecord[] = [];
      ctx.kit.client.raw.onRequest = (r) => trace.push(r);
      const start = performance.now();
      await ctx.kit.spaces.create({ organization: org, tenant: 't', name: `sdk-${i}`, resources: SIZE });
      const took = performance.now() - start;
      ctx.kit.client.raw.onRequest = undefined;
      if (!measured) return;
      times.sdk.push(took);
      sdkRequests = ctx.kit.client.raw.requests.count - before;
      traces.push({
        took,
        requests: trace.map((r) => ({ method: r.method, path: r.path, startMs: r.startedAt - start, durationMs: r.durationMs })),
      });
    },
    kubectl: async (i: number, measured: boolean) => {
      const name = `kc-${i}`;
      const file = manifestFile(ctx.scratch, name, renderedSpace(org, 't', name, SIZE));
      made.push(`${org}--t--${name}`);
      const start = performance.now();
      await runCommand(ctx.kubectl, [
        '--kubeconfig',
        ctx.kubeconfigPath,
        'apply',
        '--server-side',
        '--field-manager',
        'bench-kubectl',
        '-f',
        file,
      ]);
      const applied = performance.now() - start;
      await quotaEnforcedIn(ctx.client, `${org}--t--${name}`);
      const took = performance.now() - start;
      if (!measured) return;
      times.kubectl.push(took);
      times.kubectlApplyOnly.push(applied);
    },
    floor: async (i: number, measured: boolean) => {
      const name = `raw-${i}`;
      const objects = renderedSpace(org, 't', name, SIZE);
      made.push(`${org}--t--${name}`);
      const before = ctx.client.raw.requests.count;
      let created = 0;
      ctx.client.raw.onRequest = (r) => {
        if (r.method === 'POST') created = Math.max(created, r.startedAt + r.durationMs);
      };
      const start = performance.now();
      await createRaw(ctx.client, objects);
      const took = performance.now() - start;
      ctx.client.raw.onRequest = undefined;
      if (!measured) return;
      times.floor.push(took);
      times.floorCreateOnly.push(created - start);
      floorRequests = ctx.client.raw.requests.count - before;
    },
  };
  const order = ['sdk', 'kubectl', 'floor'] as const;
  for (let i = 0; i < warmup + rounds; i++) {
    // Rotate who goes first, so that no way always follows the same other.
    for (let k = 0; k < order.length; k++) {
      const way = order[(i + k) % order.length] ?? 'sdk';
      await ways[way](i, i >= warmup);
    }
    ctx.log(`one Space: round ${i + 1}/${warmup + rounds}${i < warmup ? ' (warm-up)' : ''}`);
  }
  // The profile shown is the median round's, not one that happened to be first.
  const profile = [...traces].sort((a, b) => a.took - b.took)[Math.floor(traces.length / 2)]?.requests ?? [];
  const writeCosts = await writeCostsOf(ctx);
  await deleteNamespaces(ctx.client, made);
  await ctx.kit.organizations.delete(org, { timeoutMs: 30 * 60_000 });
  const result = {
    sdk: summarize(times.sdk),
    kubectl: summarize(times.kubectl),
    floor: summarize(times.floor),
    kubectlApplyOnly: summarize(times.kubectlApplyOnly),
    floorCreateOnly: summarize(times.floorCreateOnly),
  };
  return {
    ...result,
    sdkToKubectl: result.sdk.median / result.kubectl.median,
    sdkToFloor: result.sdk.median / result.floor.median,
    sdkRequests,
    floorRequests,
    profile,
    writeCosts,
  };
}

/**
 * One NetworkPolicy, written 30 times each way, one request at a time: a
 * create (what the floor sends), a server-side apply as Spacekit sends it
 * (strict field validation), the same without field validation, and an
 * apply of an unchanged object. The difference is the price of applies that
 * can later remove what is no longer rendered.
 */
async function writeCostsOf(ctx: BenchContext): Promise<{ way: string; summary: Summary }[]> {
  const namespace = 'bench-write-cost';
  await ctx.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  const np = (name: string) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace, labels: { app: 'bench' } },
    spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
  });
  const ways: [string, (i: number) => Promise<unknown>][] = [
    ['create (POST)', (i) => ctx.client.create(np(`c${i}`))],
    ['server-side apply, strict validation (as Spacekit sends it)', (i) => ctx.client.apply(np(`a${i}`))],
    [
      'server-side apply, no field validation',
      (i) =>
        ctx.client.raw.request(HttpMethod.PATCH, `/apis/networking.k8s.io/v1/namespaces/${namespace}/networkpolicies/v${i}`, {
          query: { fieldManager: 'bench', force: true },
          body: np(`v${i}`),
          contentType: 'application/apply-patch+yaml',
        }),
    ],
    ['server-side apply of an unchanged object', (i) => ctx.client.apply(np(`a${i}`))],
  ];
  for (let i = 0; i < 5; i++) for (const [, write] of ways) await write(1000 + i);
  const out: { way: string; summary: Summary }[] = [];
  for (const [way, write] of ways) {
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const start = performance.now();
      await write(i);
      times.push(performance.now() - start);
    }
    out.push({ way, summary: summarize(times) });
  }
  await deleteNamespaces(ctx.client, [namespace]);
  return out;
}

/** Many Spaces at once. */
export interface BulkResult {
  spaces: number;
  concurrency: number;
  sdk: { seconds: number; perSecond: number; requestsPerSpace: number; writesPerSpace: number; conflicts: number; throttled: number };
  floor: { seconds: number; perSecond: number; requestsPerSpace: number };
  /** SDK throughput as a share of the floor's. */
  ratio: number;
  /** Where the request time goes, by kind of request: the profile of the run. */
  profile: { sdk: RequestCost[]; floor: RequestCost[] };
}

/**
 * Provisions `count` Spaces across ten tenants with `concurrency` in flight,
 * through the SDK, then the same objects through the floor, and reports
 * Spaces per second and requests per Space, counted by the clients.
 */
export async function bulk(
  ctx: BenchContext,
  organization: string,
  count: number,
  concurrency: number,
  labels: Record<string, string> = {},
): Promise<BulkResult> {
  const tenants = 10;
  await ctx.kit.organizations.create({ name: organization, labels, resources: { cpu: count, memory: `${count}Gi` } });
  await Promise.all(
    Array.from({ length: tenants }, (_, t) =>
      ctx.kit.tenants.create({
        organization,
        name: `t${t}`,
        resources: { cpu: Math.ceil(count / tenants), memory: `${Math.ceil(count / tenants)}Gi` },
      }),
    ),
  );
  const names = Array.from({ length: count }, (_, i) => ({ tenant: `t${i % tenants}`, name: `s${i}` }));

  const requestsBefore = ctx.kit.client.raw.requests.count;
  const writesBefore = ctx.kit.writes;
  let conflicts = 0;
  let throttled = 0;
  const sdkRecords: RequestRecord[] = [];
  ctx.kit.client.raw.onRequest = (r) => {
    sdkRecords.push(r);
    if (r.status === 409) conflicts++;
    if (r.status === 429) throttled++;
  };
  let start = performance.now();
  await pool(names, concurrency, async ({ tenant, name }, i) => {
    await ctx.kit.spaces.create({ organization, tenant, name, resources: SIZE });
    if ((i + 1) % 100 === 0) ctx.log(`bulk ${organization}: ${i + 1}/${count} through the SDK`);
  });
  const sdkSeconds = (performance.now() - start) / 1000;
  ctx.kit.client.raw.onRequest = undefined;
  const sdk = {
    conflicts,
    throttled,
    seconds: sdkSeconds,
    perSecond: count / sdkSeconds,
    requestsPerSpace: (ctx.kit.client.raw.requests.count - requestsBefore) / count,
    writesPerSpace: (ctx.kit.writes - writesBefore) / count,
  };

  // The floor makes the same objects under another organization name, so nothing collides.
  const floorOrg = `${organization}-raw`;
  const floorRequestsBefore = ctx.client.raw.requests.count;
  const floorRecords: RequestRecord[] = [];
  ctx.client.raw.onRequest = (r) => floorRecords.push(r);
  start = performance.now();
  await pool(names, concurrency, async ({ tenant, name }, i) => {
    await createRaw(ctx.client, renderedSpace(floorOrg, tenant, name, SIZE));
    if ((i + 1) % 100 === 0) ctx.log(`bulk ${organization}: ${i + 1}/${count} through the floor`);
  });
  const floorSeconds = (performance.now() - start) / 1000;
  ctx.client.raw.onRequest = undefined;
  const floor = {
    seconds: floorSeconds,
    perSecond: count / floorSeconds,
    requestsPerSpace: (ctx.client.raw.requests.count - floorRequestsBefore) / count,
  };
  ctx.log(`bulk ${organization}: cleaning up the floor's namespaces`);
  await deleteNamespaces(
    ctx.client,
    names.map(({ tenant, name }) => `${floorOrg}--${tenant}--${name}`),
  );
  return {
    spaces: count,
    concurrency,
    sdk,
    floor,
    ratio: sdk.perSecond / floor.perSecond,
    profile: { sdk: costsOf(sdkRecords, count), floor: costsOf(floorRecords, count) },
  };
}

/**
 * Grows an organization by `count` Spaces, 100 to a tenant, for scale (not
 * timed as a result). Spread like `bulk` because each tenant keeps its budget
 * ledger in its status, which grows with its Spaces (see docs/operator.md,
 * "Limits").
 */
export async function grow(ctx: BenchContext, organization: string, from: number, count: number, concurrency: number): Promise<void> {
  const perTenant = 100;
  const tenants = Math.ceil(count / perTenant);
  await ctx.kit.organizations.update(organization, { resources: { cpu: from + count, memory: `${from + count}Gi` } });
  await Promise.all(
    Array.from({ length: tenants }, (_, t) => {
      // The Spaces tenant t receives below (i % tenants === t), one CPU and 1Gi each, so that the tenants hold exactly `count`.
      const spaces = Math.ceil((count - t) / tenants);
      return ctx.kit.tenants.create({ organization, name: `g${t}`, resources: { cpu: spaces, memory: `${spaces}Gi` } });
    }),
  );
  await pool(
    Array.from({ length: count }, (_, i) => i),
    concurrency,
    async (i) => {
      await ctx.kit.spaces.create({ organization, tenant: `g${i % tenants}`, name: `g${i}`, resources: SIZE });
      if ((i + 1) % 250 === 0) ctx.log(`growing ${organization}: ${i + 1}/${count}`);
    },
  );
}
