import { describe, expect, it } from 'vitest';
import { debounce, type Timers } from './debounce.ts';

/** Timers the test fires by hand: no clock involved. */
function manualTimers() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      pending.set(++next, { fn, ms });
      return next;
    },
    clearTimeout: (handle) => pending.delete(handle as number),
  };
  const fireAll = () => {
    for (const [id, t] of [...pending]) {
      pending.delete(id);
      t.fn();
    }
  };
  return { timers, pending, fireAll };
}

describe('debounce', () => {
  it('merges a burst into one call, with the delay read at each schedule', () => {
    const { timers, pending, fireAll } = manualTimers();
    let calls = 0;
    let delay = 500;
    const d = debounce(
      () => calls++,
      () => delay,
      timers,
    );
    d.schedule();
    d.schedule();
    delay = 50;
    d.schedule();
    expect(pending.size).toBe(1);
    expect([...pending.values()][0]?.ms).toBe(50);
    fireAll();
    expect(calls).toBe(1);
  });

  it('flushes at once when asked, and cancels', () => {
    const { timers, pending } = manualTimers();
    let calls = 0;
    const d = debounce(
      () => calls++,
      () => 500,
      timers,
    );
    d.flush();
    expect(calls).toBe(0);
    d.schedule();
    d.flush();
    expect(calls).toBe(1);
    expect(pending.size).toBe(0);
    d.schedule();
    d.cancel();
    expect(pending.size).toBe(0);
  });
});
