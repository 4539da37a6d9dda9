import type { KubeClient } from '../kube/index.ts';
import { type CompactUsageOptions, compactUsage } from '../meter/index.ts';
import type { Logger } from './log.ts';
import { pause } from './waits.ts';

/** How often the leader runs a retention pass: cheap when there is nothing to do (one list of coverage). */
const COMPACTION_EVERY_MS = 3_600_000;

/**
 * Runs the retention of metered usage (ADR 0018) once now and then every hour until `signal`
 * aborts. A failed pass is logged and tried again at the next; what it left half done, the next
 * finishes (a pass is crash-safe).
 */
export async function keepCompacting(
  client: KubeClient,
  options: Omit<CompactUsageOptions, 'now' | 'signal'>,
  signal: AbortSignal,
  log: Logger,
  everyMs = COMPACTION_EVERY_MS,
): Promise<void> {
  while (!signal.aborted) {
    try {
      const done = await compactUsage(client, { ...options, signal });
      const changed = done.days.length + done.months.length + done.expired.length > 0;
      if (changed) log.info('retention pass over metered usage', { ...done });
      else log.debug('retention pass over metered usage', { ...done });
    } catch (err) {
      if (signal.aborted) break;
      log.warn('could not compact metered usage; trying again at the next pass', { error: err, retryInMs: everyMs });
    }
    await pause(everyMs, [signal]);
  }
}
