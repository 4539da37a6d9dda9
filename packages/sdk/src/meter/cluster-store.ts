import { createHash, randomBytes } from 'node:crypto';
import { ForbiddenError } from '../errors.ts';
import { HttpMethod, type KubeClient, statusCode } from '../kube/index.ts';
import {
  API_GROUP,
  API_VERSION,
  METER_SHARD_LABEL,
  organizationNamespace,
  spaceNamespace,
  tenantNamespace,
  USAGE_PERIOD_LABEL,
} from '../model/index.ts';
import { pooled } from '../util/pool.ts';
import { countedRecords, monthOf } from './compaction.ts';
import type { UsageBucket } from '../model/index.ts';
import type { BucketRecord, CoverageRecord, MeteredSpace, MeterRecord, TimeSpan } from './records.ts';
import type { MeterReadResult, MeterStore } from './store.ts';
import {
  bucketsBySpaceHour,
  coverageByDay,
  coverageName,
  coverageOf,
  daysOf,
  type HourGroup,
  type MeterCoverageObject,
  newMeterCoverage,
  newSpaceUsage,
  type SpaceUsageObject,
  usageRefs,
  withBuckets,
} from './usage-objects.ts';

/** Where the usage kinds are served. */
export const USAGE_API_BASE = `/apis/${API_GROUP}/${API_VERSION}`;
const BASE = USAGE_API_BASE;
/** Compare-and-swap rounds before a write gives up; only another writer of the same object makes one fail. */
const MAX_ROUNDS = 8;
/** SpaceUsage writes in flight at once. */
const WRITERS = 8;

/** Whose usage a {@link ClusterMeterStore} reads: everything (a cluster admin), an Organization, a Tenant or a Space. */
export interface UsageReadScope {
  organization?: string;
  tenant?: string;
  space?: string;
}

/** Options for {@link ClusterMeterStore}. */
export interface ClusterMeterStoreOptions {
  /** Whose usage {@link ClusterMeterStore.read} reads; default everything, which needs cluster-wide read rights. */
  scope?: UsageReadScope;
  /**
   * The meter's shard, for operators that each look after some Organizations
   * (`--organization-selector`): each shard keeps its own coverage, so that
   * one meter's running time never hides another's gap, nor makes it skip
   * time on start. Default `all`.
   */
  shard?: string;
  /**
   * Spaces whose usage goes straight to their tenant's namespace: those being
   * deleted, whose own namespace is about to go (the operator says, from its
   * cache). Default none.
   */
  archived?: (space: MeteredSpace) => boolean;
}

type List<T> = { items?: T[] };

/** The shard name of an operator that looks after the Organizations `selector` selects: `all` when it selects every one. */
export function meterShard(selector: string | undefined): string {
  if (!selector) return 'all';
  return `s-${createHash('sha256').update(selector).digest('hex').slice(0, 12)}`;
}

/**
 * The {@link MeterStore} that keeps metered usage in the cluster (ADR 0017):
 * a SpaceUsage per Space per UTC hour in the Space's namespace (in its
 * tenant's namespace once the Space's is gone), and a MeterCoverage per UTC
 * day, cluster-scoped. Reads use the caller's own rights: a Space's members
 * read its namespace, tenant and organization admins the namespaces they
 * are bound in, and every authenticated user may read coverage.
 *
 * One append is one write batch: its buckets carry the batch's id, and the
 * batch counts only once the coverage lists it, which is written last. A
 * meter that dies part-way leaves buckets nobody counts, and its successor
 * measures that time again: nothing lost, nothing counted twice. Each object
 * is written by compare-and-swap on its resourceVersion.
 */
export class ClusterMeterStore implements MeterStore {
  readonly #client: KubeClient;
  readonly #scope: UsageReadScope;
  readonly #shard: string;
  readonly #archived: (space: MeteredSpace) => boolean;
  /** Tells this store's batches from those of any other meter, past or present. */
  readonly #run = randomBytes(6).toString('hex');
  #batches = 0;

  constructor(client: KubeClient, options: ClusterMeterStoreOptions = {}) {
    this.#client = client;
    this.#scope = options.scope ?? {};
    this.#shard = options.shard ?? 'all';
    this.#archived = options.archived ?? (() => false);
  }

  /**
   * Adds the bucket records to their Spaces' objects of the hour (buckets of
   * nothing but zeros are not stored), then commits them with the coverage
   * that vouches for them.
   */
  async append(records: readonly MeterRecord[]): Promise<void> {
    const batch = `${this.#run}.${(this.#batches++).toString(36)}`;
    const buckets = records.filter((r): r is BucketRecord => r.type === 'bucket');
    const groups = bucketsBySpaceHour(buckets, batch);
    await pooled(
      groups.map((g) => () => this.#addBuckets(g)),
      WRITERS,
    );
    const spansByDay = coverageByDay(records.filter((r): r is CoverageRecord => r.type === 'coverage'));
    const days = new Set([...spansByDay.keys(), ...groups.map((g) => g.day)]);
    for (const day of [...days].sort()) {
      await this.#commit(day, spansByDay.get(day) ?? [], groups.some((g) => g.day === day) ? [batch] : []);
    }
  }

  async read(from: number, to: number): Promise<MeterReadResult> {
    const days = daysOf({ from, to });
    const [usages, coverage] = await Promise.all([this.#usages(days), this.#coverage(days)]);
    const committed = new Set(coverage.flatMap((c) => c.batches));
    const counted = countedRecords(usages, committed);
    const records: MeterRecord[] = counted.records.filter((r) => r.start < to && r.end > from);
    for (const c of coverage) for (const r of c.records) if (r.from < to && r.to > from) records.push(r);
    return { records, unreadable: counted.unreadable };
  }

  /** The extent of this store's shard's coverage: where its meter left off. */
  async coverageExtent(): Promise<TimeSpan | undefined> {
    const own = await this.#list<MeterCoverageObject>(`${BASE}/metercoverages`, `${METER_SHARD_LABEL}=${this.#shard}`);
    const spans = own.flatMap((c) => coverageOf(c).records);
    if (spans.length === 0) return undefined;
    return { from: Math.min(...spans.map((s) => s.from)), to: Math.max(...spans.map((s) => s.to)) };
  }

  async #addBuckets(group: HourGroup): Promise<void> {
    const refs = usageRefs(group.space, group.day, group.hour);
    for (const ref of this.#archived(group.space) ? refs.slice(1) : refs) {
      const written = await upsert<SpaceUsageObject>(
        this.#client,
        'SpaceUsage',
        `${BASE}/namespaces/${ref.namespace}/spaceusages`,
        ref.name,
        {
          create: () => newSpaceUsage(ref, group.space, group.day, group.hour, group.buckets),
          update: (live) => ({ ...live, spec: { ...live.spec, buckets: withBuckets(live.spec.buckets ?? [], group.buckets) } }),
          // The namespace is gone or going (its Space or Tenant was deleted): the usage goes one level up.
          namespaceMayBeGone: true,
        },
      );
      if (written) return;
    }
    // The whole Organization is gone, and its history with it.
  }

  async #commit(day: string, spans: readonly TimeSpan[], batches: readonly string[]): Promise<void> {
    await upsert<MeterCoverageObject>(this.#client, 'MeterCoverage', `${BASE}/metercoverages`, coverageName(this.#shard, day), {
      create: () => newMeterCoverage(this.#shard, day, spans, batches),
      update: (live) => ({
        ...live,
        spec: newMeterCoverage(this.#shard, day, [...(live.spec.spans ?? []), ...spans], [...(live.spec.batches ?? []), ...batches]).spec,
      }),
    });
  }

  /** The SpaceUsage objects of `days` (hours, days, and the months they are compacted into) in the store's scope, read with the caller's rights. */
  async #usages(days: readonly string[]): Promise<SpaceUsageObject[]> {
    const periods = [...days, ...new Set(days.map(monthOf))];
    const selector = `${USAGE_PERIOD_LABEL} in (${periods.join(',')})`;
    const inNamespace = (ns: string) => this.#list<SpaceUsageObject>(`${BASE}/namespaces/${ns}/spaceusages`, selector);
    const { organization: o, tenant: t, space: s } = this.#scope;
    if (o === undefined) return this.#list<SpaceUsageObject>(`${BASE}/spaceusages`, selector);
    if (t !== undefined && s !== undefined) return inNamespace(spaceNamespace(o, t, s));
    const tenants =
      t !== undefined
        ? [t]
        : (await this.#list<{ metadata: { name: string } }>(`${BASE}/namespaces/${organizationNamespace(o)}/tenants`)).map(
            (x) => x.metadata.name,
          );
    const perTenant = await pooled(
      tenants.map((tenant) => async () => {
        const spaces = await this.#list<{ metadata: { name: string } }>(`${BASE}/namespaces/${tenantNamespace(o, tenant)}/spaces`);
        const namespaces = [tenantNamespace(o, tenant), ...spaces.map((x) => spaceNamespace(o, tenant, x.metadata.name))];
        return (await pooled(namespaces.map((ns) => () => inNamespace(ns)))).flat();
      }),
      4,
    );
    const archivedInOrganization = t === undefined ? await inNamespace(organizationNamespace(o)) : [];
    return [...perTenant.flat(), ...archivedInOrganization];
  }

  /** Every shard's coverage of `days`: a report counts time any meter measured. */
  async #coverage(days: readonly string[]): Promise<ReturnType<typeof coverageOf>[]> {
    const found = await this.#list<MeterCoverageObject>(`${BASE}/metercoverages`, `${USAGE_PERIOD_LABEL} in (${days.join(',')})`);
    return found.map(coverageOf);
  }

  async #list<T>(path: string, labelSelector?: string): Promise<T[]> {
    try {
      const list = await this.#client.raw.request<List<T>>(HttpMethod.GET, path, { query: { labelSelector } });
      return list.items ?? [];
    } catch (err) {
      // A namespace that is gone (a Space deleted meanwhile) holds nothing.
      if (statusCode(err) === 404) return [];
      throw forbidden(err, path);
    }
  }
}

/** The API server refuses new objects in a namespace being deleted with a 403 that says so. */
function terminating(err: unknown): boolean {
  return statusCode(err) === 403 && /being terminated/.test(err instanceof Error ? err.message : String(err));
}

/**
 * Moves a level's usage one level up before its namespace is deleted: each
 * SpaceUsage in `from` is merged into `to` under `prefix` + its name (a
 * Space's `usage-…` becomes its tenant's `SPACE.usage-…`). Merging keeps
 * each bucket once (by write and time), so running it again, or after the
 * meter already wrote there, counts nothing twice.
 *
 * @returns how many objects were merged.
 */
export async function archiveUsage(client: KubeClient, from: string, to: string, prefix: string): Promise<number> {
  const list = await client.raw.request<List<SpaceUsageObject>>(HttpMethod.GET, `${BASE}/namespaces/${from}/spaceusages`);
  const usages = list.items ?? [];
  await pooled(
    usages.map((usage) => async () => {
      const name = `${prefix}${usage.metadata.name}`;
      await upsert<SpaceUsageObject>(client, 'SpaceUsage', `${BASE}/namespaces/${to}/spaceusages`, name, {
        create: () => ({ ...usage, metadata: { name, namespace: to, ...(usage.metadata.labels && { labels: usage.metadata.labels }) } }),
        update: (live) => ({ ...live, spec: { ...live.spec, buckets: mergedBuckets(live.spec.buckets ?? [], usage.spec.buckets ?? []) } }),
      });
    }),
    WRITERS,
  );
  return usages.length;
}

/** How {@link upsert} makes the object: new, or from the live one. */
export interface UpsertOptions<T> {
  create: () => T;
  update: (live: T) => T;
  /** A namespace that is gone or being deleted makes the upsert return false instead of throwing. */
  namespaceMayBeGone?: boolean;
}

/**
 * Creates the object, or replaces the live one by compare-and-swap on its
 * resourceVersion, reading it again after each conflict.
 *
 * @returns false when its namespace is gone or going and `namespaceMayBeGone` is set.
 */
export async function upsert<T>(client: KubeClient, kind: string, path: string, name: string, make: UpsertOptions<T>): Promise<boolean> {
  for (let round = 1; ; round++) {
    let live: T | undefined;
    try {
      live = await client.raw.request<T>(HttpMethod.GET, `${path}/${name}`);
    } catch (err) {
      if (statusCode(err) !== 404) throw err;
    }
    try {
      if (live === undefined) await client.write(kind, 'create', HttpMethod.POST, path, { body: make.create() });
      else await client.write(kind, 'update', HttpMethod.PUT, `${path}/${name}`, { body: make.update(live) });
      return true;
    } catch (err) {
      if (make.namespaceMayBeGone && live === undefined && (statusCode(err) === 404 || terminating(err))) return false;
      if (statusCode(err) !== 409 || round >= MAX_ROUNDS) throw err;
    }
  }
}

function mergedBuckets(live: readonly UsageBucket[], added: readonly UsageBucket[]): UsageBucket[] {
  const key = (b: UsageBucket) => `${b.batch}/${b.start}/${b.end}`;
  const have = new Set(live.map(key));
  return withBuckets(
    live,
    added.filter((b) => !have.has(key(b))),
  );
}

function forbidden(err: unknown, path: string): unknown {
  if (statusCode(err) !== 403) return err;
  const where = /\/namespaces\/([^/]+)\//.exec(path)?.[1];
  return new ForbiddenError(
    `you may not read metered usage ${where ? `in namespace ${where}` : 'across the cluster'}; ask for the report of a Space, Tenant or Organization you are a member of (for example --space ORG/TENANT/SPACE)`,
  );
}
