/** Timers, passed in so that tests can drive them. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A trailing-edge debouncer: `schedule()` calls `run` once things have been quiet for `delayMs()`. */
export interface Debouncer {
  schedule(): void;
  /** Runs now if something is scheduled. */
  flush(): void;
  cancel(): void;
}

/**
 * Merges bursts of changes (a watch can deliver several in a row) into one
 * call. The delay is read on every schedule, so a changed setting applies at
 * once.
 */
export function debounce(run: () => void, delayMs: () => number, timers: Timers = realTimers): Debouncer {
  let handle: unknown;
  let pending = false;
  const fire = () => {
    handle = undefined;
    pending = false;
    run();
  };
  return {
    schedule() {
      if (handle !== undefined) timers.clearTimeout(handle);
      pending = true;
      handle = timers.setTimeout(fire, delayMs());
    },
    flush() {
      if (!pending) return;
      if (handle !== undefined) timers.clearTimeout(handle);
      fire();
    },
    cancel() {
      if (handle !== undefined) timers.clearTimeout(handle);
      handle = undefined;
      pending = false;
    },
  };
}
