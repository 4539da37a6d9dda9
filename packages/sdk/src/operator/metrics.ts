import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { type Organization, parseNamespace, type Space, type Tenant, type Usage } from '../model/index.ts';
import { parseResourceList } from '../quantity/index.ts';

/** The quota gauges' labels: which level, and which of its resources. */
const QUOTA_LABELS = ['level', 'organization', 'tenant', 'space', 'resource'] as const;

/** What the quota gauges read at each scrape: the Spacekit objects as the operator's caches hold them. */
export interface QuotaSource {
  organizations(): readonly Organization[];
  tenants(): readonly Tenant[];
  spaces(): readonly Space[];
}

/**
 * A quantity as a Prometheus sample: cores for CPU, bytes for memory and
 * storage, a count for the rest. Kubernetes' milli-units divided by 1000.
 */
export function sampleValue(milli: bigint): number {
  return Number(milli) / 1000;
}

/**
 * The operator's Prometheus metrics, in a registry of its own:
 * `spacekit_quota_{hard,used,allocated}` per level and resource, read from
 * the Spacekit objects' status at scrape time (so they never go stale and an
 * object deleted is gone from the next scrape); reconcile counts, errors and
 * durations; work queue depth; API writes by kind; leadership; and the
 * process's own CPU and memory.
 */
export class OperatorMetrics {
  readonly registry = new Registry();
  readonly reconciles: Counter<'kind' | 'outcome'>;
  readonly reconcileErrors: Counter<'kind'>;
  readonly reconcileDuration: Histogram<'kind'>;
  readonly apiWrites: Counter<'kind' | 'verb'>;
  readonly watchErrors: Counter<'resource'>;
  readonly leader: Gauge;
  readonly meterSamples: Counter;
  #queueDepth: () => number = () => 0;
  #quota: QuotaSource | undefined;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.reconciles = new Counter({ name: 'spacekit_reconcile_total', help: 'Reconciles finished, by kind and outcome', labelNames: ['kind', 'outcome'], registers });
    this.reconcileErrors = new Counter({ name: 'spacekit_reconcile_errors_total', help: 'Reconciles that failed and will be retried or given up', labelNames: ['kind'], registers });
    this.reconcileDuration = new Histogram({
      name: 'spacekit_reconcile_duration_seconds',
      help: 'Time one reconcile took',
      labelNames: ['kind'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.apiWrites = new Counter({ name: 'spacekit_api_writes_total', help: 'Requests that changed the cluster, by kind and verb', labelNames: ['kind', 'verb'], registers });
    this.watchErrors = new Counter({ name: 'spacekit_watch_errors_total', help: 'Failed lists and watches (each is retried)', labelNames: ['resource'], registers });
    this.leader = new Gauge({ name: 'spacekit_leader', help: '1 while this replica holds the leader lease', registers });
    this.meterSamples = new Counter({ name: 'spacekit_meter_samples_total', help: 'Usage samples the meter took', registers });
    const depth = () => this.#queueDepth();
    new Gauge({
      name: 'spacekit_queue_depth',
      help: 'Keys waiting in the work queue',
      registers,
      collect() {
        this.set(depth());
      },
    });
    const source = () => this.#quota;
    for (const field of ['hard', 'used', 'allocated'] as const) {
      new Gauge({
        name: `spacekit_quota_${field}`,
        help: {
          hard: 'Budget of an organization or tenant (for a tenant, what its organization granted), or quota of a space',
          used: 'Requested by workloads: a space quota usage, summed for tenants and organizations',
          allocated: 'Part of an organization or tenant budget that its children hold',
        }[field],
        labelNames: [...QUOTA_LABELS],
        registers,
        collect() {
          this.reset();
          const quota = source();
          if (!quota) return;
          const set = (labels: Record<Exclude<(typeof QUOTA_LABELS)[number], 'resource'>, string>, usage: Usage | undefined) => {
            const list = usage?.[field];
            if (!list) return;
            try {
              for (const [resource, milli] of parseResourceList(list)) this.set({ ...labels, resource }, sampleValue(milli));
            } catch {
              // A status this version cannot read is left out of the scrape rather than failing it.
            }
          };
          for (const o of quota.organizations()) set({ level: 'organization', organization: o.metadata.name, tenant: '', space: '' }, o.status?.usage);
          for (const t of quota.tenants()) set({ level: 'tenant', organization: t.metadata.namespace ?? '', tenant: t.metadata.name, space: '' }, t.status?.usage);
          for (const s of quota.spaces()) {
            const parent = parseNamespace(s.metadata.namespace ?? '');
            set({ level: 'space', organization: parent?.organization ?? '', tenant: parent?.tenant ?? '', space: s.metadata.name }, s.status?.usage);
          }
        },
      });
    }
  }

  /** Where the queue depth gauge reads from. */
  watchQueue(depth: () => number): void {
    this.#queueDepth = depth;
  }

  /** Where the quota gauges read from; unset while this replica is not leading. */
  watchQuota(source: QuotaSource | undefined): void {
    this.#quota = source;
  }

  /** The exposition text, for `/metrics`. */
  async text(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
