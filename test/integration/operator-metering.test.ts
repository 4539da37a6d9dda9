import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppsV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import {
  METER_SHARD_LABEL,
  type MeteredReport,
  MeteredReportSchema,
  type MeterCoverageSpec,
  meterShard,
  parseResourceList,
  type Spacekit,
  type TimeSpan,
} from '@spacekit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKubeConfig, eventually, uniqueName, webDeployment } from '../support/kube.ts';
import { adminKitWithOperator, operatorKubeconfig, startOperator } from '../support/operator.ts';

const shard = uniqueName('meter');
const org = shard;
const SHARD_LABEL = 'e2e.spacekit.example/shard';
const admin = adminKubeConfig();
const CLI = resolve(import.meta.dirname, '../../packages/sdk/src/cli/main.ts');
let kit: Spacekit;
let kubeconfig: { path: string; remove(): void };
let store: string;

const operatorOptions = () => ({ kubeconfigPath: kubeconfig.path, organizationSelector: `${SHARD_LABEL}=${shard}` });

/** `spacekit usage report` as a user runs it, parsed from its JSON output. */
function report(by: 'space' | 'tenant' | 'organization'): MeteredReport {
  const run = spawnSync(process.execPath, [CLI, 'usage', 'report', '--store', store, '--since', '1h', '--by', by, '-o', 'json'], {
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  return MeteredReportSchema.parse(JSON.parse(run.stdout));
}

const rowOf = (r: MeteredReport) => r.rows.find((row) => row.organization === org);

beforeAll(async () => {
  kit = await adminKitWithOperator();
  store = mkdtempSync(join(tmpdir(), 'spacekit-meter-'));
  await kit.organizations.create({ name: org, labels: { [SHARD_LABEL]: shard }, resources: { cpu: 4, memory: '8Gi' } });
  await kit.tenants.create({ organization: org, name: 'team', resources: { cpu: 4, memory: '8Gi' } });
  await kit.spaces.create({ organization: org, tenant: 'team', name: 'dev', resources: { cpu: 2, memory: '2Gi' } });
  kubeconfig = await operatorKubeconfig(admin);
  // Bring usage to a steady 2 × (100m, 128Mi) — the Space's container defaults — with an operator that does not meter,
  // so that the metered runs below see one constant value.
  const settle = await startOperator(operatorOptions());
  await admin.makeApiClient(AppsV1Api).createNamespacedDeployment({ namespace: `${org}--team--dev`, body: webDeployment(2) });
  await eventually('the usage in status', async () => {
    const used = parseResourceList((await kit.spaces.get({ organization: org, tenant: 'team', name: 'dev' })).status?.usage?.used ?? {});
    return used.get('requests.cpu') === 200n && used.get('requests.memory') === 256n * 1024n * 1024n * 1000n ? true : undefined;
  });
  expect(await settle.stop()).toBe(0);
});

afterAll(async () => {
  await kit?.organizations.delete(org).catch(() => undefined);
  kubeconfig?.remove();
  if (store) rmSync(store, { recursive: true, force: true });
});

describe('metering', () => {
  it('integrates usage into resource-minutes that match a hand computation, at every level', async () => {
    // An accelerated meter: a sample every 200 ms into 1 s buckets.
    const run = await startOperator({ ...operatorOptions(), meterDir: store, meterInterval: '1s', meterBucket: '1s' });
    await eventually('a few samples', async () => (run.logged('metering').length > 0 ? true : undefined));
    await new Promise((r) => setTimeout(r, 4_000));
    // Served live by the running operator too, in the same shape.
    const live = MeteredReportSchema.parse(await (await fetch(`${run.url}/usage/report?since=1h&by=organization&format=json`)).json());
    expect(live.by).toBe('organization');
    expect(await run.stop()).toBe(0);

    const bySpace = report('space');
    const covered = bySpace.coverage.coveredMs;
    expect(covered).toBeGreaterThan(3_000);
    // By hand: 200 millicores held for `covered` ms is 0.2 × covered/60000 core-minutes;
    // 256 MiB is 0.25 GiB, so 0.25 × covered/60000 GiB-minutes. The integrals are exact.
    const row = rowOf(bySpace);
    expect(row?.space).toBe('dev');
    expect(BigInt(row?.usage['requests.cpu']?.integral ?? '0')).toBe(200n * BigInt(covered));
    expect(row?.usage['requests.cpu']?.unit).toBe('core-minutes');
    expect(row?.usage['requests.cpu']?.value).toBeCloseTo((0.2 * covered) / 60_000, 5);
    expect(row?.usage['requests.memory']?.unit).toBe('GiB-minutes');
    expect(row?.usage['requests.memory']?.value).toBeCloseTo((0.25 * covered) / 60_000, 5);
    // The tenant and the organization hold exactly their one Space's usage.
    for (const by of ['tenant', 'organization'] as const) {
      expect(rowOf(report(by))?.usage['requests.cpu']?.integral).toBe(row?.usage['requests.cpu']?.integral);
    }
  });

  it('reports the time the meter was stopped as a gap and leaves it out of the totals', async () => {
    const stoppedFor = 3_000;
    await new Promise((r) => setTimeout(r, stoppedFor));
    const again = await startOperator({ ...operatorOptions(), meterDir: store, meterInterval: '1s', meterBucket: '1s' });
    await eventually('metering again', async () => (again.logged('metering').length > 0 ? true : undefined));
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await again.stop()).toBe(0);

    const r = report('space');
    const between = r.gaps.filter((g) => g.kind === 'not-metered');
    expect(between).toHaveLength(1);
    expect(between[0]?.durationMs).toBeGreaterThanOrEqual(stoppedFor);
    // Totals cover only measured time: no interpolation over the gap.
    expect(BigInt(rowOf(r)?.usage['requests.cpu']?.integral ?? '0')).toBe(200n * BigInt(r.coverage.coveredMs));

    const table = spawnSync(process.execPath, [CLI, 'usage', 'report', '--store', store, '--since', '1h'], { encoding: 'utf8' });
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/GAPS: the totals exclude these periods; nothing is interpolated over them/);
    expect(table.stdout).toMatch(/not metered|stopped/i);
  });
});

describe('metering into the cluster', () => {
  /** This shard's coverage as the API server holds it: absolute, merged spans. */
  async function shardCoverage(): Promise<TimeSpan[]> {
    const list = (await admin.makeApiClient(CustomObjectsApi).listClusterCustomObject({
      group: 'spacekit.dev',
      version: 'v1alpha1',
      plural: 'metercoverages',
      labelSelector: `${METER_SHARD_LABEL}=${meterShard(`${SHARD_LABEL}=${shard}`)}`,
    })) as { items: { spec: MeterCoverageSpec }[] };
    const spans = list.items
      .flatMap(({ spec }) =>
        spec.spans.map((s) => ({ from: Date.parse(`${spec.day}T00:00:00Z`) + s.from, to: Date.parse(`${spec.day}T00:00:00Z`) + s.to })),
      )
      .sort((a, b) => a.from - b.from);
    const merged: TimeSpan[] = [];
    for (const s of spans) {
      const last = merged.at(-1);
      if (last && s.from <= last.to) merged[merged.length - 1] = { from: last.from, to: Math.max(last.to, s.to) };
      else merged.push(s);
    }
    return merged;
  }

  it('writes minute buckets as its ServiceAccount, keeps every minute once across a SIGKILL, and shows the outage as a gap', async () => {
    // Default bucket (a minute), sampled every second: the first minute is written at the next minute boundary.
    const first = await startOperator({ ...operatorOptions(), meterIntoCluster: true, meterInterval: '1s' });
    await eventually('a committed minute', async () => ((await shardCoverage()).length > 0 ? true : undefined), {
      timeoutMs: 100_000,
      intervalMs: 1_000,
    });
    await first.kill();
    const killedAt = Date.now();
    await new Promise((r) => setTimeout(r, 3_000));
    const second = await startOperator({ ...operatorOptions(), meterIntoCluster: true, meterInterval: '1s' });
    await eventually(
      'a minute committed after the restart',
      async () => ((await shardCoverage()).some((s) => s.to > killedAt) ? true : undefined),
      {
        timeoutMs: 100_000,
        intervalMs: 1_000,
      },
    );
    // Its retention pass ran as its ServiceAccount when metering began, with nothing old enough to compact.
    expect(second.logged('retention pass over metered usage')).toHaveLength(1);
    expect(second.logged('could not compact metered usage; trying again at the next pass')).toEqual([]);
    expect(await second.stop()).toBe(0);

    const spans = await shardCoverage();
    // What the killed operator measured after its last write is lost to it, and its successor does not pretend to have
    // measured it: one hole, at least as long as the outage.
    expect(spans).toHaveLength(2);
    const [before, after] = spans as [TimeSpan, TimeSpan];
    expect(before.to).toBeLessThanOrEqual(killedAt);
    expect(after.from - before.to).toBeGreaterThanOrEqual(3_000);
    const covered = spans.reduce((sum, s) => sum + (s.to - s.from), 0);

    // Read with the SDK's cluster store: exactly 200 millicores for every covered millisecond, nothing twice.
    const r = await kit.usage.report({ scope: { organization: org }, since: '1h' });
    const row = r.rows.find((x) => x.space === 'dev');
    expect(BigInt(row?.usage['requests.cpu']?.integral ?? '0')).toBe(200n * BigInt(covered));
    expect(r.gaps.some((g) => g.kind === 'not-metered' && Date.parse(g.from) <= before.to && Date.parse(g.to) >= after.from)).toBe(true);
  }, 300_000);
});
