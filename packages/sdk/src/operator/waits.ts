/** A monotonic clock in ms: wall-clock jumps must never make a lease look expired or valid. */
export function now(): number {
  return performance.now();
}

/**
 * Waits `ms`, or less if one of `wake` aborts; true when woken early.
 * Listeners are removed afterwards, so a long leadership does not pile them up.
 */
export function pause(ms: number, wake: readonly AbortSignal[]): Promise<boolean> {
  return new Promise((done) => {
    if (wake.some((s) => s.aborted)) return done(true);
    const finish = (woken: boolean) => {
      clearTimeout(timer);
      for (const s of wake) s.removeEventListener('abort', onWake);
      done(woken);
    };
    const onWake = () => finish(true);
    const timer = setTimeout(() => finish(false), Math.max(0, ms));
    for (const s of wake) s.addEventListener('abort', onWake, { once: true });
  });
}

/** `work`'s result, or `'late'` if it has not settled by `deadline` (monotonic ms). */
export async function beforeDeadline<T>(work: Promise<T>, deadline: number): Promise<T | 'late'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((done) => {
    timer = setTimeout(() => done('late'), Math.max(0, deadline - now()));
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** `work`'s result, or `'aborted'` once `signal` aborts. */
export async function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | 'aborted'> {
  if (signal.aborted) return 'aborted';
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<'aborted'>((done) => {
    onAbort = () => done('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
