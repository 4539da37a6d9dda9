import type { Meter } from '../meter/index.ts';
import { type Backoff, backoffDelay } from '../util/backoff.ts';
import type { Logger } from './log.ts';
import { pause } from './waits.ts';

/** How long a leader waits between attempts to start its meter. */
const METER_START_BACKOFF: Backoff = { initialMs: 500, maxMs: 30_000 };

/**
 * Starts the meter, trying again while its store cannot be read (it must know where the last meter
 * stopped, or it would count that time twice): the controller keeps reconciling meanwhile, and the
 * time until the meter starts shows as a gap. False when `signal` aborted first.
 */
export async function startMeter(meter: Meter, signal: AbortSignal, log: Logger, backoff: Backoff = METER_START_BACKOFF): Promise<boolean> {
  for (let attempt = 1; !signal.aborted; attempt++) {
    try {
      await meter.start();
      return true;
    } catch (err) {
      if (signal.aborted) break;
      const retryInMs = backoffDelay(backoff, attempt);
      log.warn('cannot read where metering stopped; the meter starts once it can (until then, a gap)', { error: err, retryInMs });
      await pause(retryInMs, [signal]);
    }
  }
  return false;
}
