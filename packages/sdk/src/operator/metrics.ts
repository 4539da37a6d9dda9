import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { quotaExpositionChunks, type QuotaSource } from './quota-exposition.ts';

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
    this.reconciles = new Counter({
      name: 'spacekit_reconcile_total',
      help: 'Reconciles finished, by kind and outcome',
      labelNames: ['kind', 'outcome'],
      registers,
    });
    this.reconcileErrors = new Counter({
      name: 'spacekit_reconcile_errors_total',
      help: 'Reconciles that failed and will be retried or given up',
      labelNames: ['kind'],
      registers,
    });
    this.reconcileDuration = new Histogram({
      name: 'spacekit_reconcile_duration_seconds',
      help: 'Time one reconcile took',
      labelNames: ['kind'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.apiWrites = new Counter({
      name: 'spacekit_api_writes_total',
      help: 'Requests that changed the cluster, by kind and verb',
      labelNames: ['kind', 'verb'],
      registers,
    });
    this.watchErrors = new Counter({
      name: 'spacekit_watch_errors_total',
      help: 'Failed lists and watches (each is retried)',
      labelNames: ['resource'],
      registers,
    });
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
  }

  /** Where the queue depth gauge reads from. */
  watchQueue(depth: () => number): void {
    this.#queueDepth = depth;
  }

  /** Where the quota gauges read from; unset while this replica is not leading. */
  watchQuota(source: QuotaSource | undefined): void {
    this.#quota = source;
  }

  /** The exposition text, for `/metrics`, in chunks to stream: the quota series can be tens of thousands of lines. */
  async text(): Promise<{ body: Iterable<string>; contentType: string }> {
    const registered = await this.registry.metrics();
    const quota = this.#quota;
    return {
      body: (function* () {
        yield registered;
        if (quota) yield* quotaExpositionChunks(quota);
      })(),
      contentType: this.registry.contentType,
    };
  }
}
