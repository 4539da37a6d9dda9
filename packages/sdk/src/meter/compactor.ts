import { HttpMethod, type KubeClient, statusCode } from '../kube/index.ts';
import { MeterCoverageSpecSchema, USAGE_PERIOD_LABEL } from '../model/index.ts';
import { pooled } from '../util/pool.ts';
import { USAGE_API_BASE as BASE, upsert } from './cluster-store.ts';
import { compactionPlan, daysOfMonth, monthOf, rollUp, usageName, usagePrefix } from './compaction.ts';
import { type RetentionPolicy, retentionPolicy } from './retention.ts';
import { coverageName, type MeterCoverageObject, type SpaceUsageObject } from './usage-objects.ts';

/** Objects written or deleted at once. */
const WRITERS = 8;

/** Options for {@link compactUsage}. */
export interface CompactUsageOptions {
  /** The meter shard whose days are compacted (see `meterShard`); default `all`. */
  shard?: string;
  /** Only the usage of these Organizations is touched (an operator's `--organization-selector`); default all. */
  organizations?: (organization: string) => boolean;
  retention?: Partial<RetentionPolicy>;
  /** Default `Date.now()`. */
  now?: number;
  /** Ends the pass early, between one day's (month's) work and the next; the next pass goes on from there. */
  signal?: AbortSignal;
}

/** What one {@link compactUsage} pass did. */
export interface CompactionResult {
  /** Days rolled into day objects of hour buckets. */
  days: string[];
  /** Months rolled into month objects of day buckets. */
  months: string[];
  /** Days deleted, with their coverage. */
  expired: string[];
  /** SpaceUsage objects written and deleted. */
  written: number;
  deleted: number;
}

type List<T> = { items?: T[]; metadata?: { continue?: string } };

/**
 * One pass of the retention (ADR 0018): rolls each Space's hour objects of a day that ended
 * `minutesFor` ago into one day object of hour buckets, a month's day objects into one month object
 * of day buckets once the month ended `hoursFor` ago, and deletes usage and coverage older than
 * `retention`. The shard's MeterCoverage records how far each day is compacted, so that a pass
 * skips what is done.
 *
 * Crash-safe without a transaction: the rolled-up object is written before the objects it replaces
 * are deleted, and a report ignores an object that a compacted one of the same Space covers, so a
 * pass cut short between the two counts nothing twice and the next pass finishes it. Totals over
 * whole hours (days) are exactly what they were.
 */
export async function compactUsage(client: KubeClient, options: CompactUsageOptions = {}): Promise<CompactionResult> {
  const policy = retentionPolicy(options.retention);
  const now = options.now ?? Date.now();
  const shard = options.shard ?? 'all';
  const selected = options.organizations ?? (() => true);
  const coverage = await listAll<MeterCoverageObject>(client, `${BASE}/metercoverages`);
  const own = new Map<string, MeterCoverageObject>();
  const progress = new Map<string, 'day' | 'month' | undefined>();
  for (const c of coverage) {
    const parsed = MeterCoverageSpecSchema.safeParse(c.spec);
    if (!parsed.success || parsed.data.shard !== shard) continue;
    own.set(parsed.data.day, c);
    progress.set(parsed.data.day, parsed.data.compacted);
  }
  // Every shard's commits: an Organization's older buckets may have been committed by a shard that looked after it then.
  const committed = new Set(coverage.flatMap((c) => c.spec?.batches ?? []));
  const plan = compactionPlan(progress, now, policy);
  // What was done, not what was planned: a pass that stops early says how far it got.
  const result: CompactionResult = { days: [], months: [], expired: [], written: 0, deleted: 0 };
  const usagesOf = async (periods: readonly string[]) =>
    (await listAll<SpaceUsageObject>(client, `${BASE}/spaceusages`, `${USAGE_PERIOD_LABEL} in (${periods.join(',')})`)).filter((u) =>
      selected(u.spec?.organization ?? ''),
    );

  const stopped = () => options.signal?.aborted === true;
  for (const day of plan.days) {
    if (stopped()) return result;
    const groups = bySpaceObject(await usagesOf([day]), (u) => u.spec.period === 'hour' || u.spec.period === 'day');
    await rollEach(client, groups, committed, 'day', day, result);
    await markCoverage(client, shard, own.get(day), 'day');
    result.days.push(day);
  }
  for (const month of plan.months) {
    if (stopped()) return result;
    const days = daysOfMonth(month);
    // The month's own objects too: one a pass cut short already wrote is kept, not rebuilt from the days it left.
    const groups = bySpaceObject(await usagesOf([...days, month]), () => true);
    await rollEach(client, groups, committed, 'month', `${month}-01`, result);
    for (const day of days) await markCoverage(client, shard, own.get(day), 'month');
    result.months.push(month);
  }
  if (plan.expired.length > 0 && !stopped()) {
    const months = [...new Set(plan.expired.map(monthOf))].filter((m) =>
      daysOfMonth(m).every((d) => !progress.has(d) || plan.expired.includes(d)),
    );
    const doomed = await usagesOf([...plan.expired, ...months]);
    await pooled(
      doomed.map((u) => () => deleteUsage(client, u)),
      WRITERS,
    );
    result.deleted += doomed.length;
    for (const day of plan.expired) {
      await deleteIgnoringGone(client, `${BASE}/metercoverages/${coverageName(shard, day)}`, 'MeterCoverage');
      result.expired.push(day);
    }
  }
  return result;
}

/** The objects of each Space in each namespace (an archive holds several Spaces' under prefixes), keyed by namespace and prefix. */
function bySpaceObject(usages: readonly SpaceUsageObject[], keep: (u: SpaceUsageObject) => boolean): Map<string, SpaceUsageObject[]> {
  const groups = new Map<string, SpaceUsageObject[]>();
  for (const u of usages) {
    if (!keep(u)) continue;
    const key = `${u.metadata.namespace}/${usagePrefix(u.metadata.name)}`;
    groups.set(key, [...(groups.get(key) ?? []), u]);
  }
  return groups;
}

async function rollEach(
  client: KubeClient,
  groups: ReadonlyMap<string, SpaceUsageObject[]>,
  committed: ReadonlySet<string>,
  into: 'day' | 'month',
  day: string,
  result: CompactionResult,
): Promise<void> {
  await pooled(
    [...groups.values()].map((parts) => async () => {
      const first = parts[0] as SpaceUsageObject;
      const name = usageName(usagePrefix(first.metadata.name), into, day);
      const namespace = first.metadata.namespace;
      const existing = parts.find((p) => p.metadata.name === name);
      const replaced = parts.filter((p) => p !== existing);
      if (replaced.length === 0) return;
      // A roll-up that exists already (a pass cut short before its deletes) was made from these same parts: it stays.
      if (existing === undefined) {
        const rolled = rollUp({ namespace, name }, parts, committed, into, day);
        await upsert<SpaceUsageObject>(client, 'SpaceUsage', `${BASE}/namespaces/${namespace}/spaceusages`, name, {
          create: () => rolled,
          update: (live) => ({ ...live, spec: rolled.spec }),
        });
        result.written++;
      }
      for (const part of replaced) await deleteUsage(client, part);
      result.deleted += replaced.length;
    }),
    WRITERS,
  );
}

/** Records in the shard's coverage of a day how far its usage is compacted, so that later passes skip it. */
async function markCoverage(
  client: KubeClient,
  shard: string,
  coverage: MeterCoverageObject | undefined,
  compacted: 'day' | 'month',
): Promise<void> {
  if (coverage === undefined) return;
  const { name, labels } = coverage.metadata;
  await upsert<MeterCoverageObject>(client, 'MeterCoverage', `${BASE}/metercoverages`, coverageName(shard, coverage.spec.day), {
    create: () => ({ ...coverage, metadata: { name, ...(labels && { labels }) }, spec: { ...coverage.spec, compacted } }),
    update: (live) => ({ ...live, spec: { ...live.spec, compacted } }),
  });
}

function deleteUsage(client: KubeClient, usage: SpaceUsageObject): Promise<void> {
  return deleteIgnoringGone(client, `${BASE}/namespaces/${usage.metadata.namespace}/spaceusages/${usage.metadata.name}`, 'SpaceUsage');
}

async function deleteIgnoringGone(client: KubeClient, path: string, kind: string): Promise<void> {
  try {
    await client.write(kind, 'delete', HttpMethod.DELETE, path);
  } catch (err) {
    if (statusCode(err) !== 404) throw err;
  }
}

async function listAll<T>(client: KubeClient, path: string, labelSelector?: string): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await client.raw.request<List<T>>(HttpMethod.GET, path, { query: { labelSelector, limit: '500', continue: token } });
    items.push(...(page.items ?? []));
    token = page.metadata?.continue || undefined;
  } while (token);
  return items;
}
