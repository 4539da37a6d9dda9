import { choice, defineCommand, duration, wholeNumber } from '../define.ts';
import { UsageError } from '../errors.ts';
import { type RetentionPolicy, retentionPolicy } from '../../meter/retention.ts';

/** What `spacekit operator` runs with; see its flags. */
export interface OperatorOptions {
  metricsAddress: string;
  leaderElect: boolean;
  leaseNamespace?: string;
  identity?: string;
  organizationSelector?: string;
  workers?: number;
  /** false: no metering; a `dir`: into a file store there; else into the cluster. */
  meter: false | { dir?: string };
  meterIntervalMs: number;
  meterBucketMs?: number;
  /** How long metered usage is kept at minute and hour resolution, and at all (`--meter-keep-*`). */
  meterRetention: Partial<RetentionPolicy>;
  orphanGraceMs?: number;
  watchTimeoutMs?: number;
  logFormat: 'json' | 'text';
  logLevel: 'info' | 'debug';
}

export interface OperatorCommand {
  command: 'operator';
  options: OperatorOptions;
}

const LOG_FORMATS = ['json', 'text'] as const;
const LOG_LEVELS = ['info', 'debug'] as const;

/** `spacekit operator`: the operator, in this process. */
export const operator = defineCommand({
  words: ['operator'],
  summary:
    'run the operator here: reconcile Space and Tenant objects that people without cluster rights write, repair drift, keep usage in status, meter',
  flags: {
    'metrics-addr': { type: 'string', value: 'HOST:PORT' },
    'leader-elect': { type: 'boolean' },
    'lease-namespace': { type: 'string', value: 'NS' },
    identity: { type: 'string', value: 'NAME' },
    'organization-selector': { type: 'string', value: 'LABELS' },
    workers: { type: 'string', value: 'N' },
    'meter-dir': { type: 'string', value: 'DIR' },
    'meter-interval': { type: 'string', value: '60s' },
    'meter-bucket': { type: 'string', value: 'DURATION' },
    'no-meter': { type: 'boolean' },
    'meter-keep-minutes': { type: 'string', value: '2d' },
    'meter-keep-hours': { type: 'string', value: '35d' },
    'meter-keep': { type: 'string', value: '400d' },
    'orphan-grace': { type: 'string', value: 'DURATION' },
    'watch-timeout': { type: 'string', value: 'DURATION' },
    'log-format': { type: 'string', value: LOG_FORMATS.join('|') },
    'log-level': { type: 'string', value: LOG_LEVELS.join('|') },
  },
  parse({ values: v }): OperatorCommand {
    if (v['no-meter'] && v['meter-dir'] !== undefined) throw new UsageError('--no-meter and --meter-dir contradict each other; pick one');
    const options: OperatorOptions = {
      metricsAddress: v['metrics-addr'] ?? '127.0.0.1:9090',
      leaderElect: v['leader-elect'] ?? false,
      ...(v['lease-namespace'] !== undefined && { leaseNamespace: v['lease-namespace'] }),
      ...(v.identity !== undefined && { identity: v.identity }),
      ...(v['organization-selector'] !== undefined && { organizationSelector: v['organization-selector'] }),
      ...(v.workers !== undefined && { workers: wholeNumber('--workers', v.workers, 1) }),
      meter: v['no-meter'] ? false : { ...(v['meter-dir'] !== undefined && { dir: v['meter-dir'] }) },
      meterIntervalMs: duration('--meter-interval', v['meter-interval'] ?? '60s'),
      ...(v['meter-bucket'] !== undefined && { meterBucketMs: duration('--meter-bucket', v['meter-bucket']) }),
      meterRetention: retentionFlags(v['meter-keep-minutes'], v['meter-keep-hours'], v['meter-keep']),
      ...(v['orphan-grace'] !== undefined && { orphanGraceMs: duration('--orphan-grace', v['orphan-grace']) }),
      ...(v['watch-timeout'] !== undefined && { watchTimeoutMs: duration('--watch-timeout', v['watch-timeout']) }),
      logFormat: v['log-format'] === undefined ? 'json' : choice('--log-format', v['log-format'], LOG_FORMATS),
      logLevel: v['log-level'] === undefined ? 'info' : choice('--log-level', v['log-level'], LOG_LEVELS),
    };
    return { command: 'operator', options };
  },
  async run({ options }, { connect, io }) {
    // A long-lived, mostly idle process: V8's heuristics for size over speed keep it well inside its
    // container's memory (a third less resident memory at 5,000 Spaces in `pnpm bench`). Node refuses
    // this flag in NODE_OPTIONS, so it is set here, for the operator only.
    const { setFlagsFromString } = await import('node:v8');
    setFlagsFromString('--optimize-for-size');
    const [{ createLogger }, { runOperator }] = await Promise.all([import('../../operator/log.ts'), import('../../operator/run.ts')]);
    const log = createLogger({ write: (line) => io.stderr(line), format: options.logFormat, level: options.logLevel });
    const kit = await connect();
    const running = await runOperator({
      kubeConfig: kit.kubeConfig,
      metricsAddress: options.metricsAddress,
      ...(options.identity !== undefined && { identity: options.identity }),
      leaderElection: options.leaderElect ? { ...(options.leaseNamespace !== undefined && { namespace: options.leaseNamespace }) } : false,
      ...(options.organizationSelector !== undefined && { organizationSelector: options.organizationSelector }),
      ...(options.workers !== undefined && { workers: options.workers }),
      ...(options.orphanGraceMs !== undefined && { orphanGraceMs: options.orphanGraceMs }),
      ...(options.watchTimeoutMs !== undefined && { watchTimeoutMs: options.watchTimeoutMs }),
      meter: options.meter && {
        ...options.meter,
        intervalMs: options.meterIntervalMs,
        ...(options.meterBucketMs !== undefined && { bucketMs: options.meterBucketMs }),
        retention: options.meterRetention,
      },
      log,
    });
    // One line on stdout for whoever started us (a script, a test): where the endpoints are.
    io.stdout(`${JSON.stringify({ event: 'serving', url: running.url })}\n`);
    const outcome = await Promise.race([running.done, io.untilStopped().then(() => undefined)]);
    if (outcome === undefined) {
      log.info('stopping');
      await running.stop();
      return 0;
    }
    // Lost the lease: exit non-zero so that the Deployment restarts this replica as a clean standby.
    return outcome.reason === 'lost-leadership' ? 1 : 0;
  },
});

/** `--meter-keep-minutes`, `--meter-keep-hours` and `--meter-keep` as the retention they set, checked for order. */
function retentionFlags(minutes: string | undefined, hours: string | undefined, all: string | undefined): Partial<RetentionPolicy> {
  const set: Partial<RetentionPolicy> = {
    ...(minutes !== undefined && { minutesForMs: duration('--meter-keep-minutes', minutes) }),
    ...(hours !== undefined && { hoursForMs: duration('--meter-keep-hours', hours) }),
    ...(all !== undefined && { retentionMs: duration('--meter-keep', all) }),
  };
  try {
    retentionPolicy(set);
  } catch (err) {
    throw new UsageError(`--meter-keep-minutes, --meter-keep-hours and --meter-keep: ${(err as Error).message}`);
  }
  return set;
}
