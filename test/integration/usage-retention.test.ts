import { CustomObjectsApi } from '@kubernetes/client-node';
import {
  ClusterMeterStore,
  compactUsage,
  KubeClient,
  Meter,
  METER_SHARD_LABEL,
  readReport,
  type UsageRecord,
  type UsageReport,
} from '@spacekit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientThatNeverCommits } from '../support/dying-meter.ts';
import { adminKubeConfig, uniqueName } from '../support/kube.ts';
import { adminKit } from '../support/spacekit.ts';

// Retention of metered usage (ADR 0018) on the real control plane: a real Meter writes four hours of
// minute buckets across a midnight that is also a month's end; compaction passes at later clocks
// roll them into days and months and finally expire them, and every report over whole hours (days)
// stays exactly what it was.
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const org = uniqueName('retain');
const shard = org;
const admin = adminKubeConfig();
const client = new KubeClient(admin);
const objects = admin.makeApiClient(CustomObjectsApi);
const CPU = { web: 250n, qa: 1000n } as const;
const START = Date.parse('2026-09-30T22:00:00Z');
const END = START + 4 * HOUR;
const MINUTES = (END - START) / MINUTE;
let kit: Awaited<ReturnType<typeof adminKit>>;

const record = (space: keyof typeof CPU): UsageRecord => ({
  organization: org,
  tenant: 'team',
  space,
  used: { 'requests.cpu': `${CPU[space]}m` },
});

/** Meters `minutes` minutes from `from` with a clock the test moves; `dying` meters never commit. */
async function meterMinutes(from: number, minutes: number, writer: KubeClient = client): Promise<void> {
  let time = from;
  const meter = new Meter({
    store: new ClusterMeterStore(writer, { shard }),
    source: () => [record('web'), record('qa')],
    now: () => time,
    intervalMs: MINUTE,
    bucketMs: MINUTE,
    onError: () => undefined,
  });
  await meter.start();
  for (let i = 0; i < minutes; i++) {
    await meter.tick();
    time += MINUTE;
  }
  await meter.stop().catch(() => undefined);
}

const report = (from: number, to: number): Promise<UsageReport> =>
  readReport(new ClusterMeterStore(client, { scope: { organization: org } }), { from, to, by: 'space' });

const cpu = (r: UsageReport, space: string) => r.rows.find((row) => row.space === space)?.integrals.get('requests.cpu') ?? 0n;

/** Every SpaceUsage of the organization, wherever it lives: name → period. */
async function usageObjects(): Promise<{ namespace: string; name: string; period: string }[]> {
  const list = (await objects.listClusterCustomObject({
    group: 'spacekit.dev',
    version: 'v1alpha1',
    plural: 'spaceusages',
    labelSelector: `spacekit.dev/organization=${org}`,
  })) as { items: { metadata: { name: string; namespace: string }; spec: { period: string } }[] };
  return list.items
    .map((i) => ({ namespace: i.metadata.namespace, name: i.metadata.name, period: i.spec.period }))
    .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}

/** The report over the whole window and over each hour, to compare before and after a pass. */
async function figures(step: number): Promise<{ whole: [bigint, bigint]; steps: [bigint, bigint][]; covered: number }> {
  const whole = await report(START - step, END + step);
  const steps: [bigint, bigint][] = [];
  for (let t = Math.floor(START / step) * step; t < END; t += step) {
    const r = await report(t, t + step);
    steps.push([cpu(r, 'web'), cpu(r, 'qa')]);
  }
  return { whole: [cpu(whole, 'web'), cpu(whole, 'qa')], steps, covered: whole.coveredMs };
}

/** An object as it was before a pass replaced it, read whole. */
const readUsage = (namespace: string, name: string) =>
  objects.getNamespacedCustomObject({ group: 'spacekit.dev', version: 'v1alpha1', namespace, plural: 'spaceusages', name });

/**
 * Leaves the cluster as a pass that died after writing its roll-up would: `replaced` (an object the
 * pass deleted) back in place, and `day` not yet marked compacted in the shard's coverage.
 */
async function cutShort(replaced: unknown, day: string, marked: 'day' | 'month'): Promise<void> {
  const { metadata, ...rest } = replaced as { metadata: { name: string; namespace: string; labels: Record<string, string> } };
  await objects.createNamespacedCustomObject({
    group: 'spacekit.dev',
    version: 'v1alpha1',
    namespace: metadata.namespace,
    plural: 'spaceusages',
    body: { ...rest, metadata: { name: metadata.name, labels: metadata.labels } },
  });
  const name = `${shard}.${day}`;
  const coverage = (await objects.getClusterCustomObject({
    group: 'spacekit.dev',
    version: 'v1alpha1',
    plural: 'metercoverages',
    name,
  })) as {
    spec: { compacted?: string };
  };
  expect(coverage.spec.compacted).toBe(marked);
  // One step back: a month not yet marked is still marked as compacted into days.
  if (marked === 'month') coverage.spec.compacted = 'day';
  else delete coverage.spec.compacted;
  await objects.replaceClusterCustomObject({ group: 'spacekit.dev', version: 'v1alpha1', plural: 'metercoverages', name, body: coverage });
}

let metered: Awaited<ReturnType<typeof figures>>;
/** An hour object as the meter wrote it, kept to put back as a pass cut short would leave it. */
let leftover: unknown;

beforeAll(async () => {
  kit = await adminKit();
  await kit.organizations.create({ name: org, resources: { cpu: 4, memory: '4Gi' } });
  await kit.tenants.create({ organization: org, name: 'team', resources: { cpu: 2, memory: '2Gi' } });
  for (const name of ['web', 'qa'])
    await kit.spaces.create({ organization: org, tenant: 'team', name, resources: { cpu: 1, memory: '1Gi' } });

  // An hour metered by a meter whose coverage never commits (killed mid-write): its buckets are in
  // the cluster, counted by nobody; then its successor measures the whole four hours.
  const dying = clientThatNeverCommits(admin);
  await meterMinutes(START, 60, dying);
  await meterMinutes(START, 200);
  // qa is deleted: its history moves to its tenant's namespace, and its last minutes are written there.
  await kit.spaces.delete({ organization: org, tenant: 'team', name: 'qa' });
  await meterMinutes(START + 200 * MINUTE, MINUTES - 200);
  metered = await figures(HOUR);
}, 300_000);

afterAll(async () => {
  await kit?.organizations.delete(org).catch(() => undefined);
});

describe('retention of metered usage', () => {
  it('starts from minute buckets that a report counts exactly, the dead meter left out', async () => {
    expect(metered.covered).toBe(END - START);
    expect(metered.whole).toEqual([CPU.web * BigInt(END - START), CPU.qa * BigInt(END - START)]);
    const held = await usageObjects();
    // Four hours of web in its namespace; qa's four in its tenant's, where its history was moved.
    expect(held.filter((o) => o.period === 'hour').length).toBe(8);
    expect(held.filter((o) => o.namespace === `${org}--team`).every((o) => o.name.startsWith('qa.usage-'))).toBe(true);
  });

  it('rolls each day into a day of hour buckets, and every whole hour reports what it did', async () => {
    leftover = await readUsage(`${org}--team--web`, 'usage-2026-09-30-23');
    const pass = await compactUsage(client, { shard, organizations: (o) => o === org, now: END + 3 * DAY });
    expect(pass.days).toEqual(['2026-09-30', '2026-10-01']);
    const held = await usageObjects();
    expect(held).toEqual(
      expect.arrayContaining([
        { namespace: `${org}--team`, name: 'qa.usage-2026-09-30', period: 'day' },
        { namespace: `${org}--team`, name: 'qa.usage-2026-10-01', period: 'day' },
        { namespace: `${org}--team--web`, name: 'usage-2026-09-30', period: 'day' },
        { namespace: `${org}--team--web`, name: 'usage-2026-10-01', period: 'day' },
      ]),
    );
    expect(held).toHaveLength(4);
    expect(await figures(HOUR)).toEqual(metered);
    // A second pass finds nothing to do: the coverage says the days are compacted.
    expect((await compactUsage(client, { shard, organizations: (o) => o === org, now: END + 3 * DAY })).days).toEqual([]);
  });

  it('finishes a pass cut short between writing a day and deleting its hours, counting nothing twice', async () => {
    // As if the pass had died after writing the day: an hour object it replaced is back, and the day is not marked.
    await cutShort(leftover, '2026-09-30', 'day');
    expect(await figures(HOUR)).toEqual(metered);
    const pass = await compactUsage(client, { shard, organizations: (o) => o === org, now: END + 3 * DAY });
    expect(pass).toMatchObject({ days: ['2026-09-30'], written: 0, deleted: 1 });
    expect((await usageObjects()).filter((o) => o.period === 'hour')).toEqual([]);
    expect(await figures(HOUR)).toEqual(metered);
  });

  it('rolls months into day buckets five weeks after they end, and every whole day reports what it did', async () => {
    const byDay = await figures(DAY);
    const october = await readUsage(`${org}--team--web`, 'usage-2026-10-01');
    const pass = await compactUsage(client, { shard, organizations: (o) => o === org, now: Date.parse('2026-12-07T00:00:00Z') });
    expect(pass.months).toEqual(['2026-09', '2026-10']);
    expect((await usageObjects()).map((o) => `${o.name}:${o.period}`).sort()).toEqual([
      'qa.usage-2026-09:month',
      'qa.usage-2026-10:month',
      'usage-2026-09:month',
      'usage-2026-10:month',
    ]);
    expect(await figures(DAY)).toEqual(byDay);
    expect(byDay.whole).toEqual(metered.whole);

    // Cut short after writing October's month and before deleting its last day: finished, nothing twice.
    await cutShort(october, '2026-10-01', 'month');
    expect(await figures(DAY)).toEqual(byDay);
    const again = await compactUsage(client, { shard, organizations: (o) => o === org, now: Date.parse('2026-12-07T00:00:00Z') });
    expect(again).toMatchObject({ months: ['2026-10'], written: 0, deleted: 1 });
    expect((await usageObjects()).every((o) => o.period === 'month')).toBe(true);
    expect(await figures(DAY)).toEqual(byDay);
  });

  it('deletes usage and coverage 400 days after the day ended', async () => {
    const pass = await compactUsage(client, { shard, organizations: (o) => o === org, now: END + 401 * DAY });
    expect(pass.expired).toEqual(['2026-09-30', '2026-10-01']);
    expect(await usageObjects()).toEqual([]);
    const left = (await objects.listClusterCustomObject({
      group: 'spacekit.dev',
      version: 'v1alpha1',
      plural: 'metercoverages',
      labelSelector: `${METER_SHARD_LABEL}=${shard}`,
    })) as { items: unknown[] };
    expect(left.items).toEqual([]);
    expect((await report(START, END)).rows).toEqual([]);
  });
});
