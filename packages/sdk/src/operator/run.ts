import { hostname } from 'node:os';
import type { KubeConfig } from '@kubernetes/client-node';
import { validate } from '../model/index.ts';
import { KubeClient } from '../kube/index.ts';
import { ValidationError } from '../errors.ts';
import {
  ClusterMeterStore,
  FileMeterStore,
  meterShard,
  formatReport,
  Meter,
  parseDuration,
  readReport,
  type ReportFormat,
  type MeteredSpace,
  type MeterStore,
  type ReportLevel,
  type RetentionPolicy,
  retentionPolicy,
  type UsageRecord,
} from '../meter/index.ts';
import { type ClusterSettingsInput, ClusterSettingsSchema, parseNamespace, tenantNamespace } from '../model/index.ts';
import { Controller } from './controller.ts';
import { KubeEventRecorder } from './events.ts';
import { LeaderElector } from './leader-election.ts';
import { type Logger, SILENT } from './log.ts';
import { OPERATOR_LEASE_NAME, OPERATOR_NAMESPACE_DEFAULT } from './names.ts';
import { OperatorMetrics } from './metrics.ts';
import { type OperatorServer, serve } from './server.ts';
import { startMeter } from './start-meter.ts';
import { keepCompacting } from './compaction-loop.ts';

/** Options for {@link runOperator}. */
export interface OperatorOptions {
  kubeConfig: KubeConfig;
  settings?: ClusterSettingsInput;
  /** Where `/metrics`, `/healthz`, `/readyz` and `/usage/report` are served. Default `127.0.0.1:9090`; port 0 picks a free one. */
  metricsAddress?: string;
  /** This replica's name in the leader lease and in events. Default: `$POD_NAME`, else host name and process id. */
  identity?: string;
  /** Leader election through a Lease, so that replicas can run side by side; false runs alone. */
  leaderElection?:
    | false
    | { namespace?: string; name?: string; leaseDurationMs?: number; renewDeadlineMs?: number; retryPeriodMs?: number };
  /** Look after only the Organizations with these labels (a shard); default all. */
  organizationSelector?: string;
  workers?: number;
  maxAttempts?: number;
  orphanGraceMs?: number;
  /** The shortest time one watch stays open; see {@link ControllerOptions.watchTimeoutMs}. */
  watchTimeoutMs?: number;
  /**
   * Metering: into the cluster (SpaceUsage and MeterCoverage objects, ADR 0017) with minute
   * buckets, or into a local file store when `dir` is given (hour buckets by default); false
   * turns it off. Default: off.
   */
  meter?: false | { dir?: string; intervalMs?: number; bucketMs?: number; retention?: Partial<RetentionPolicy> };
  log?: Logger;
}

/** A running operator. */
export interface RunningOperator {
  /** The base URL of its HTTP endpoints. */
  url: string;
  metrics: OperatorMetrics;
  /** Resolves when the operator has stopped: on stop(), or when it lost its leader lease (its host should then exit). */
  done: Promise<{ reason: 'stopped' | 'lost-leadership' }>;
  /** Stops gracefully: finishes reconciles in flight, writes the meter's open buckets, releases the lease. */
  stop(): Promise<void>;
}

/** Minute buckets in the cluster: "the last 15 minutes" is answerable, and an hour's object stays small (ADR 0017). */
const CLUSTER_BUCKET_MS = 60_000;
/** Hour buckets in a file store, as before ADR 0017: a line per Space per hour. */
const FILE_BUCKET_MS = 3_600_000;

/**
 * The meter's store: a directory when one is given, else the cluster.
 *
 * @throws {ValidationError} when the cluster store is given a bucket shorter than a minute (an hour's object
 *   holds at most 240 buckets) or one that does not divide an hour (each object holds one hour), and
 *   for a retention whose resolutions are out of order.
 */
function meterStore(
  client: KubeClient,
  meter: { dir?: string; bucketMs?: number; retention?: Partial<RetentionPolicy> },
  organizationSelector: string | undefined,
  archived: (space: MeteredSpace) => boolean,
): MeterStore {
  if (meter.dir !== undefined) return new FileMeterStore(meter.dir);
  try {
    retentionPolicy(meter.retention);
  } catch (err) {
    throw new ValidationError('meter', [{ path: 'retention', message: (err as Error).message }]);
  }
  if (meter.bucketMs !== undefined && (meter.bucketMs < 60_000 || 3_600_000 % meter.bucketMs !== 0)) {
    throw new ValidationError('meter', [
      {
        path: 'bucketMs',
        message: `${meter.bucketMs} ms is not a whole number of minutes that divides an hour; metering into the cluster keeps an hour per object at minute resolution at most (use 1m, 5m, 15m or 1h, or --meter-dir for shorter buckets)`,
      },
    ]);
  }
  return new ClusterMeterStore(client, { shard: meterShard(organizationSelector), archived });
}

const REPORT_LEVELS: readonly ReportLevel[] = ['space', 'tenant', 'organization'];
const REPORT_FORMATS: readonly ReportFormat[] = ['table', 'csv', 'json'];

/**
 * Runs the Spacekit operator in this process: the same reconcilers as the
 * embedded SDK, driven by watches, for users without cluster rights who
 * write Space and Tenant objects. With leader election only the leader
 * reconciles and meters; standbys wait, serving health and metrics.
 *
 * @throws {ValidationError} for settings or a meter it cannot run with (see `meter`), before it sends anything.
 * @throws {NotInstalledError} when Spacekit's CRDs are not in the cluster.
 */
export async function runOperator(options: OperatorOptions): Promise<RunningOperator> {
  const log = options.log ?? SILENT;
  const settings = validate(ClusterSettingsSchema, options.settings ?? {}, 'settings');
  const identity = options.identity ?? process.env.POD_NAME ?? `${hostname()}-${process.pid}`;
  const client = new KubeClient(options.kubeConfig);
  const metrics = new OperatorMetrics();
  client.onWrite = (kind, verb) => metrics.apiWrites.inc({ kind, verb });

  const stopping = new AbortController();
  let leadingDone: Promise<void> = Promise.resolve();
  let synced = false;
  let leading = false;
  const meterOptions = options.meter ?? false;
  // Set once the controller's caches exist: Spaces being deleted, whose usage goes to their tenant's namespace.
  let deleting: (space: MeteredSpace) => boolean = () => false;
  const store =
    meterOptions === false ? undefined : meterStore(client, meterOptions, options.organizationSelector, (space) => deleting(space));
  // After the meter's options are checked: a meter that cannot work is refused before anything is sent.
  await client.ensureInstalled();

  const lead = (signal: AbortSignal): Promise<void> => {
    leading = true;
    metrics.leader.set(1);
    log.info('leading: starting the controller', { identity });
    const work = (async () => {
      const controller = new Controller({
        client,
        settings,
        ...(options.organizationSelector && { organizationSelector: options.organizationSelector }),
        ...(options.workers !== undefined && { workers: options.workers }),
        ...(options.maxAttempts !== undefined && { maxAttempts: options.maxAttempts }),
        ...(options.orphanGraceMs !== undefined && { orphanGraceMs: options.orphanGraceMs }),
        ...(options.watchTimeoutMs !== undefined && { watchTimeoutMs: options.watchTimeoutMs }),
        events: new KubeEventRecorder(client, identity, log),
        log,
        metrics,
      });
      const w = controller.watched;
      deleting = (m) => {
        const space = w.spaces.get(tenantNamespace(m.organization, m.tenant), m.space);
        return space === undefined || space.metadata.deletionTimestamp !== undefined;
      };
      metrics.watchQuota({ organizations: () => w.organizations.list(), tenants: () => w.tenants.list(), spaces: () => w.spaces.list() });
      await controller.start(signal);
      if (signal.aborted) return;
      synced = true;
      const meter =
        store && meterOptions
          ? new Meter({
              store,
              source: () => {
                metrics.meterSamples.inc();
                return w.spaces.list().flatMap((s): UsageRecord[] => {
                  const parent = parseNamespace(s.metadata.namespace ?? '');
                  const used = s.status?.usage?.used;
                  if (!parent?.tenant || !used) return [];
                  return [
                    {
                      organization: parent.organization,
                      tenant: parent.tenant,
                      space: s.metadata.name,
                      used: Object.fromEntries(Object.entries(used).map(([k, v]) => [k, String(v)])),
                    },
                  ];
                });
              },
              ...(meterOptions.intervalMs !== undefined && { intervalMs: meterOptions.intervalMs }),
              bucketMs: meterOptions.bucketMs ?? (meterOptions.dir === undefined ? CLUSTER_BUCKET_MS : FILE_BUCKET_MS),
              onError: (err) => log.warn('meter sample or write failed; that time is a gap', { error: err }),
            })
          : undefined;
      const metering = meter !== undefined && (await startMeter(meter, signal, log));
      if (metering)
        log.info('metering', {
          into: meterOptions === false || meterOptions.dir === undefined ? 'the cluster' : meterOptions.dir,
          intervalMs: meter.intervalMs,
          bucketMs: meter.bucketMs,
        });
      // Retention applies to what is in the cluster; a directory store keeps what it is given.
      const compacting =
        metering && meterOptions && meterOptions.dir === undefined
          ? keepCompacting(
              client,
              {
                shard: meterShard(options.organizationSelector),
                ...(meterOptions.retention && { retention: meterOptions.retention }),
                ...(options.organizationSelector && { organizations: (o: string) => w.organizations.get(undefined, o) !== undefined }),
              },
              signal,
              log,
            )
          : undefined;
      await new Promise<void>((resolve) =>
        signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true }),
      );
      await compacting;
      await controller.stop();
      await meter?.stop().catch((err: unknown) => log.warn("could not write the meter's last buckets", { error: err }));
      metrics.watchQuota(undefined);
    })();
    // The elector reports the work's failure; this copy only marks the end, and must not be a second,
    // unhandled, rejection while the elector is still releasing the lease.
    leadingDone = work
      .catch(() => undefined)
      .finally(() => {
        leading = false;
        synced = false;
        metrics.leader.set(0);
      });
    return work;
  };

  let server: OperatorServer;
  try {
    server = await serve(options.metricsAddress ?? '127.0.0.1:9090', {
      '/metrics': async () => {
        const { body, contentType } = await metrics.text();
        return { status: 200, body, contentType };
      },
      '/healthz': async () => ({ status: 200, body: 'ok\n' }),
      // A standby is ready: it serves and waits. A leader is ready once its caches hold the cluster.
      '/readyz': async () => (leading && !synced ? { status: 503, body: 'caches syncing\n' } : { status: 200, body: 'ok\n' }),
      '/usage/report': async (_request, url) => {
        if (!store) return { status: 404, body: 'metering is off in this operator (--no-meter)\n' };
        const by = (url.searchParams.get('by') ?? 'space') as ReportLevel;
        const format = (url.searchParams.get('format') ?? 'json') as ReportFormat;
        if (!REPORT_LEVELS.includes(by) || !REPORT_FORMATS.includes(format)) {
          return { status: 400, body: `by is one of ${REPORT_LEVELS.join(', ')}; format one of ${REPORT_FORMATS.join(', ')}\n` };
        }
        let sinceMs: number;
        try {
          sinceMs = parseDuration(url.searchParams.get('since') ?? '7d', 'since');
        } catch (err) {
          return { status: 400, body: `${(err as Error).message}\n` };
        }
        const to = Date.now();
        const report = await readReport(store, { from: to - sinceMs, to, by });
        return {
          status: 200,
          body: formatReport(report, format),
          contentType: format === 'json' ? 'application/json' : format === 'csv' ? 'text/csv' : 'text/plain',
        };
      },
    });
  } catch (err) {
    throw new Error(`cannot serve metrics on ${options.metricsAddress ?? '127.0.0.1:9090'}: ${(err as Error).message}`);
  }
  log.info('serving', { url: server.url, identity });

  let lostLeadership = false;
  const running = (async () => {
    if (options.leaderElection === false || options.leaderElection === undefined) {
      await lead(stopping.signal);
      return;
    }
    const election = options.leaderElection;
    const elector = new LeaderElector({
      client,
      namespace: election.namespace ?? OPERATOR_NAMESPACE_DEFAULT,
      name: election.name ?? OPERATOR_LEASE_NAME,
      identity,
      ...(election.leaseDurationMs !== undefined && { leaseDurationMs: election.leaseDurationMs }),
      ...(election.renewDeadlineMs !== undefined && { renewDeadlineMs: election.renewDeadlineMs }),
      ...(election.retryPeriodMs !== undefined && { retryPeriodMs: election.retryPeriodMs }),
      onStartedLeading: (signal) => lead(signal),
      onStoppedLeading: () => {
        if (!stopping.signal.aborted) lostLeadership = true;
      },
      onNewLeader: (leader) => log.info('leader', { leader, self: leader === identity }),
      log: (message, fields) => log.info(message, fields),
    });
    await elector.run(stopping.signal);
    await leadingDone;
  })();

  const done = running.then(
    async () => {
      await server.close();
      if (lostLeadership) log.error('lost the leader lease; stopping so that this replica starts clean', { identity });
      return { reason: lostLeadership ? ('lost-leadership' as const) : ('stopped' as const) };
    },
    async (err: unknown) => {
      await server.close();
      throw err;
    },
  );
  return {
    url: server.url,
    metrics,
    done,
    stop: async () => {
      stopping.abort();
      await done;
    },
  };
}
