import { describe, expect, it } from 'vitest';
import { type AttemptEnd, WorkQueue } from './queue.ts';

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
};

describe('WorkQueue', () => {
  it('processes a key once for a burst of adds, and never twice at the same time', async () => {
    let running = 0;
    let overlapped = false;
    const processed: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const queue = new WorkQueue({
      workers: 4,
      maxAttempts: 3,
      backoff: { initialMs: 1, maxMs: 1 },
      process: async (key) => {
        running++;
        if (running > 1) overlapped = true;
        processed.push(key);
        await gate;
        running--;
      },
    });
    for (let i = 0; i < 5; i++) queue.add('Space/a/b/c');
    queue.start();
    await until(() => processed.length === 1);
    // Changes while it is processed queue exactly one more run, after this one.
    queue.add('Space/a/b/c');
    queue.add('Space/a/b/c');
    release();
    await until(() => processed.length === 2 && queue.busy === 0);
    await queue.stop();
    expect(processed).toEqual(['Space/a/b/c', 'Space/a/b/c']);
    expect(overlapped).toBe(false);
  });

  it('retries a failing key with doubling delays, then gives up and reports it', async () => {
    const ends: AttemptEnd[] = [];
    const queue = new WorkQueue({
      workers: 1,
      maxAttempts: 3,
      backoff: { initialMs: 2, maxMs: 3 },
      process: async () => {
        throw new Error('apiserver said no');
      },
      onAttempt: (end) => ends.push(end),
    });
    queue.start();
    queue.add('Tenant/a/b');
    await until(() => ends.some((e) => e.result === 'gave-up'));
    await queue.stop();
    expect(ends.map((e) => e.result)).toEqual(['retry', 'retry', 'gave-up']);
    expect(ends.flatMap((e) => (e.result === 'retry' ? [e.retryInMs] : []))).toEqual([2, 3]);
    expect(ends.at(-1)).toMatchObject({ attempt: 3, key: 'Tenant/a/b' });
  });

  it('runs a key again when it asks to be requeued after a delay', async () => {
    const seen: string[] = [];
    const queue = new WorkQueue({
      workers: 1,
      maxAttempts: 3,
      backoff: { initialMs: 1, maxMs: 1 },
      process: async (key) => {
        seen.push(key);
        return seen.length === 1 ? { requeueAfterMs: 5 } : undefined;
      },
    });
    queue.start();
    queue.add('Space/o/t/s');
    await until(() => seen.length === 2);
    await queue.stop();
    expect(seen).toEqual(['Space/o/t/s', 'Space/o/t/s']);
  });

  it('keeps keys in arrival order and reports its depth', async () => {
    const seen: string[] = [];
    const queue = new WorkQueue({
      workers: 1,
      maxAttempts: 1,
      backoff: { initialMs: 1, maxMs: 1 },
      process: async (key) => void seen.push(key),
    });
    for (const k of ['c', 'a', 'b', 'a']) queue.add(k);
    expect(queue.depth).toBe(3);
    queue.start();
    await until(() => seen.length === 3);
    await queue.stop();
    expect(seen).toEqual(['c', 'a', 'b']);
    queue.add('late');
    expect(queue.depth).toBe(0);
  });
});
