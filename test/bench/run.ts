// `pnpm bench [--quick] [--out DIR]`: measures Spacekit against kubectl and the API server's own
// limit, on the local control plane, and writes BENCHMARKS.md and BENCHMARKS.json. Measurements,
// not tests: a missed target is reported as missed, never turned into a failure.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalCluster } from '@spacekit/local-cluster';
import { connect, KubeClient } from '@spacekit/sdk';
import { cliCommands } from './cli.ts';
import { type BenchContext, scratchDir } from './context.ts';
import { ensureKubectl } from './kubectl.ts';
import { machine } from './machine.ts';
import { msPerSpace, resourceOf } from './profile.ts';
import { type BenchResults, markdown, type Target } from './report.ts';
import { scaling } from './scaling.ts';
import { scalingTargets } from './scaling-report.ts';
import { bulk, grow, oneSpace } from './scenarios.ts';
import { measureIdle, startBenchOperator, steadyLabels } from './steady.ts';
import { editorModel, ephemeralRoundTrip } from './optional.ts';
import { memory, memoryTarget } from './memory.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const { values } = parseArgs({ options: { quick: { type: 'boolean' }, out: { type: 'string' } } });
const quick = values.quick ?? false;
const SIZES = quick
  ? {
      rounds: 3,
      bulk: [30, 60],
      concurrency: 8,
      idleMs: 5_000,
      big: 150,
      ephemeral: 3,
      editor: 3,
      cli: 5,
      scaling: [10, 50, 150],
      memory: 150,
      samples: 10,
    }
  : {
      rounds: 15,
      bulk: [500, 1000],
      concurrency: 16,
      idleMs: 30_000,
      big: 5000,
      ephemeral: 20,
      editor: 10,
      cli: 20,
      scaling: [10, 100, 1000, 5000, 10_000],
      memory: 5000,
      samples: 10,
    };
const outDir = values.out ? resolve(values.out) : quick ? join(ROOT, 'test-artifacts', 'bench') : join(ROOT, 'docs');

const log = (message: string) => process.stderr.write(`bench: ${message}\n`);
const started = Date.now();

const cluster = await startLocalCluster({ onProgress: log, nodes: 0 });
const scratch = scratchDir();
let operatorCleanup: (() => Promise<void>) | undefined;
try {
  log(`control plane ${cluster.version} at ${cluster.server}${cluster.external ? ' (SPACEKIT_KUBECONFIG)' : ''}`);
  const kit = await connect({ kubeconfig: cluster.kubeConfig });
  await kit.install({ operator: { replicas: 0 } });
  log('building (or reusing) a standalone kubectl of the same version');
  const kubectl = await ensureKubectl(cluster.version);
  const ctx: BenchContext = {
    kit,
    client: new KubeClient(cluster.kubeConfig),
    kubeconfigPath: cluster.kubeconfigPath,
    kubectl,
    log,
    scratch,
  };
  const sdkVersion = (JSON.parse(readFileSync(join(ROOT, 'packages/sdk/package.json'), 'utf8')) as { version: string }).version;
  const results: BenchResults = {
    date: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    machine: machine(),
    versions: { spacekit: sdkVersion, kubernetes: cluster.version, kubectl: cluster.version, node: process.version },
    targets: [],
    notes: [],
  };

  log(`the spacekit command: ${SIZES.cli} rounds against kubectl`);
  results.cli = await cliCommands(ctx, SIZES.cli);

  log(`one Space: ${SIZES.rounds} rounds of three ways`);
  results.oneSpace = await oneSpace(ctx, SIZES.rounds);

  const [small = 0, large = 0] = SIZES.bulk;
  log(`bulk: ${small} Spaces`);
  const first = await bulk(ctx, 'bulk-a', small, SIZES.concurrency);
  log(`bulk: ${large} Spaces`);
  const second = await bulk(ctx, 'bulk-b', large, SIZES.concurrency, steadyLabels());
  results.bulk = [first, second];
  log(`deleting the ${small}-Space organization, so that exactly ${large} Spaces are in place`);
  // Hundreds of namespaces: Kubernetes' namespace controller takes its time with each.
  await kit.organizations.delete('bulk-a', { timeoutMs: 60 * 60_000 });

  log('steady state: starting the operator');
  const { operator, cleanup, startedAt } = await startBenchOperator(cluster.kubeConfig);
  operatorCleanup = cleanup;
  results.steady = [await measureIdle(ctx, operator, startedAt, large, SIZES.idleMs)];
  log(`editor model: ${large} Spaces, with the operator running`);
  results.editor = await editorModel(ctx, 'bulk-b', SIZES.editor);
  log(`growing to ${SIZES.big} Spaces with the operator running`);
  const growStart = performance.now();
  await grow(ctx, 'bulk-b', large, SIZES.big - large, SIZES.concurrency);
  results.steady.push(await measureIdle(ctx, operator, growStart, SIZES.big, SIZES.idleMs));
  await cleanup();
  operatorCleanup = undefined;

  log(`ephemeral round trip: ${SIZES.ephemeral} rounds`);
  results.ephemeral = await ephemeralRoundTrip(ctx, SIZES.ephemeral);

  log(`embedded SDK memory: ${SIZES.memory} Spaces from a separate process`);
  results.memory = await memory(ctx, SIZES.memory, 16, quick ? 50 : 500);

  // Last, so that its thousands of namespaces, and their deletion, weigh on no other scenario.
  log(`scaling: one tenant at ${SIZES.scaling.join(', ')} Spaces, ${SIZES.samples} sample creates at each`);
  results.scaling = await scaling(ctx, {
    steps: SIZES.scaling,
    samples: SIZES.samples,
    concurrency: SIZES.concurrency,
    background: SIZES.big,
  });

  results.targets = targets(results);
  results.notes.push(...notes(results), `The whole run took ${((Date.now() - started) / 60_000).toFixed(1)} minutes.`);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'BENCHMARKS.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(outDir, 'BENCHMARKS.md'), markdown(results));
  log(`wrote ${join(outDir, 'BENCHMARKS.md')}`);
  for (const t of results.targets) log(`${t.met ? 'met   ' : 'MISSED'} ${t.what}: ${t.measured} (target ${t.target})`);
} finally {
  await operatorCleanup?.();
  await cluster.stop();
  rmSync(scratch, { recursive: true, force: true });
}

function targets(r: BenchResults): Target[] {
  const out: Target[] = [];
  if (r.cli) {
    const { get, kubectlGet, help, render, getToKubectl, organizations } = r.cli;
    const ms = (v: number) => `${v.toFixed(0)} ms`;
    out.push({
      what: `spacekit get vs kubectl get spaces -A (${organizations} organizations)`,
      target: '≤ 1.5× kubectl',
      measured: `${getToKubectl.toFixed(2)}× (${ms(get.wallMs.median)} against ${ms(kubectlGet.wallMs.median)})`,
      met: getToKubectl <= 1.5,
    });
    out.push({ what: 'spacekit --help', target: '≤ 150 ms', measured: ms(help.wallMs.median), met: help.wallMs.median <= 150 });
    out.push({ what: 'spacekit render', target: '≤ 150 ms', measured: ms(render.wallMs.median), met: render.wallMs.median <= 150 });
  }
  if (r.oneSpace) {
    out.push({
      what: 'one Space: SDK latency vs kubectl',
      target: '≤ 0.5× kubectl',
      measured: `${r.oneSpace.sdkToKubectl.toFixed(2)}×`,
      met: r.oneSpace.sdkToKubectl <= 0.5,
    });
    out.push({
      what: 'one Space: SDK latency vs the floor',
      target: '≤ 1.5× the floor',
      measured: `${r.oneSpace.sdkToFloor.toFixed(2)}×`,
      met: r.oneSpace.sdkToFloor <= 1.5,
    });
  }
  for (const b of r.bulk ?? []) {
    out.push({
      what: `bulk ${b.spaces} Spaces: SDK throughput vs the floor`,
      target: '≥ 70% of the floor',
      measured: `${(b.ratio * 100).toFixed(0)}%`,
      met: b.ratio >= 0.7,
    });
  }
  for (const s of r.steady ?? [])
    out.push({
      what: `steady state, ${s.spaces} Spaces: API writes while idle`,
      target: '0',
      measured: String(s.writes),
      met: s.writes === 0,
    });
  const biggest = r.steady?.at(-1);
  if (biggest) {
    out.push({
      what: `operator memory at ${biggest.spaces} Spaces (peak RSS)`,
      target: r.mode === 'full' ? '≤ 200 MB at 5,000 Spaces' : '≤ 200 MB (quick run: fewer Spaces)',
      measured: `${biggest.peakRssMiB.toFixed(0)} MiB peak, ${biggest.rssMiB.toFixed(0)} MiB settled`,
      met: biggest.peakRssMiB * 1.048576 <= 200,
    });
  }
  if (r.scaling) out.push(...scalingTargets(r.scaling));
  if (r.memory) out.push(memoryTarget(r.memory, r.mode));
  if (r.ephemeral && !('skipped' in r.ephemeral)) {
    const e = r.ephemeral;
    out.push({
      what: 'ephemeral round trip p95 (dispose waits for the namespace)',
      target: '< 3 s',
      measured: `${(e.roundTrip.p95 / 1000).toFixed(2)} s (kubectl namespace baseline ${(e.kubectlNamespace.p95 / 1000).toFixed(2)} s)`,
      met: e.roundTrip.p95 < 3000,
    });
    out.push({
      what: 'ephemeral round trip p95 with dispose({ wait: false })',
      target: '< 3 s',
      measured: `${(e.roundTripNoWait.p95 / 1000).toFixed(2)} s`,
      met: e.roundTripNoWait.p95 < 3000,
    });
  }
  return out;
}

function notes(r: BenchResults): string[] {
  const out: string[] = [];
  if (r.mode === 'quick')
    out.push('Quick mode: small numbers so that CI runs the suite; the committed docs/BENCHMARKS.md comes from a full run.');
  out.push(
    'Two cores are shared by the client, the API server, etcd and the controllers, so client CPU competes with the server it measures; ratios within one run are more telling than absolute numbers.',
  );
  const o = r.oneSpace;
  if (o) {
    const create = o.writeCosts.find((w) => w.way.startsWith('create'))?.summary.median ?? Number.NaN;
    const apply = o.writeCosts.find((w) => w.way.includes('as Spacekit sends it'))?.summary.median ?? Number.NaN;
    out.push(
      `Where the SDK's time goes beyond the floor (see the profile): ${o.sdkRequests} requests against the floor's ${o.floorRequests}. ` +
        "Three are sequential bookkeeping writes the floor does without: the reservation in the tenant's budget ledger (what makes nested budgets enforceable, and concurrent creates serialise), the Space object, and its status (what users without cluster rights read). " +
        (apply / create > 1.15
          ? `And each object is written by server-side apply, which here costs the API server ${(apply / create).toFixed(2)}× a create (${apply.toFixed(1)} ms against ${create.toFixed(1)} ms for one NetworkPolicy): ` +
            'the price of applies that can later remove what Spacekit no longer renders (a member, a network peer, a quota entry) and take back fields edited by hand.'
          : `Server-side apply, which lets Spacekit later remove what it no longer renders and take back fields edited by hand, is not where the time goes: one costs the API server ${(apply / create).toFixed(2)}× a create here (${apply.toFixed(1)} ms against ${create.toFixed(1)} ms for one NetworkPolicy). ` +
            'The gap is the sequence: ledger, Space and namespace must each be written before the next, while the floor writes its namespace and then everything at once.'),
    );
  }
  for (const b of r.bulk ?? []) {
    if (b.ratio < 0.7) {
      const floorResources = new Set(b.profile.floor.map((c) => resourceOf(c.request)));
      const same = b.profile.sdk.filter((c) => floorResources.has(resourceOf(c.request)) && !c.request.startsWith('GET'));
      const extra = b.profile.sdk.filter((c) => !same.includes(c));
      const sdkMs = msPerSpace(b.profile.sdk);
      const floorMs = msPerSpace(b.profile.floor);
      out.push(
        `Bulk (${b.spaces} Spaces): the SDK writes ${b.sdk.writesPerSpace.toFixed(1)} times and sends ${b.sdk.requestsPerSpace.toFixed(1)} requests per Space against the floor's ${b.floor.requestsPerSpace.toFixed(1)}, ` +
          `and its requests add up to ${sdkMs.toFixed(0)} ms per Space against the floor's ${floorMs.toFixed(0)} ms (see the profile). ` +
          `${msPerSpace(extra).toFixed(0)} ms of that go to requests the floor does not send (${extra
            .slice(0, 4)
            .map((c) => c.request)
            .join(', ')}): the budget ledger, the Space object and its status, which is what makes nested budgets and self-service work; ` +
          `the objects both make, and the wait for the quota, take ${msPerSpace(same).toFixed(0)} ms per Space in the SDK (server-side apply) against ${floorMs.toFixed(0)} ms in the floor (creates). ` +
          "Summed request time is not wall time (both send several requests at once), but with the API server the bottleneck on two cores it shows where the server's time goes; " +
          `throughput measured ${(b.ratio * 100).toFixed(0)}% of the floor's. ` +
          `${b.sdk.conflicts} conflicts on budget ledgers: creates in one tenant queue in the process instead of colliding.`,
      );
    }
  }
  const e = r.ephemeral;
  if (e && !('skipped' in e)) {
    out.push(
      `Ephemeral round trip: to Ready takes ${(e.toReady.median / 1000).toFixed(2)} s; the rest is Kubernetes removing the namespace, which its namespace controller starts only 5 s after the deletion (namespaceDeletionGracePeriod), for Spacekit and kubectl alike (baseline ${(e.kubectlNamespace.median / 1000).toFixed(2)} s). ` +
        `A test that does not need to wait for the namespace to go uses dispose({ wait: false }): ${(e.roundTripNoWait.median / 1000).toFixed(2)} s; the Space and its allocation are gone at once, the namespace follows.`,
    );
  }
  return out;
}
