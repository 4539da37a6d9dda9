import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../errors.ts';
import { FileMeterStore } from './file-store.ts';
import { Meter, type MeterOptions } from './meter.ts';
import type { MeterRecord, UsageRecord } from './records.ts';
import { readReport } from './report.ts';
import type { MeterStore } from './store.ts';
import { integralInUnits } from './units.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 29, 10, 0, 0);

const DEV: UsageRecord = {
  organization: 'acme',
  tenant: 'payments',
  space: 'dev',
  used: { 'requests.cpu': '250m', 'requests.memory': '512Mi' },
};

/** A clock the test moves by hand. */
function manualClock(start: number): { now: () => number; set: (time: number) => void } {
  let time = start;
  return { now: () => time, set: (next) => (time = next) };
}

const tempDirs: string[] = [];
afterAll(() => Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function fileStore(): Promise<FileMeterStore> {
  const dir = await mkdtemp(join(tmpdir(), 'meter-'));
  tempDirs.push(dir);
  return new FileMeterStore(dir);
}

/** Ticks once a minute from `from` (inclusive) to `to` (exclusive). */
async function tickEveryMinute(meter: Meter, clock: { set: (time: number) => void }, from: number, to: number): Promise<void> {
  for (let time = from; time < to; time += MINUTE) {
    clock.set(time);
    await meter.tick();
  }
}

function meterWith(store: MeterStore, clock: { now: () => number }, options: Partial<MeterOptions> = {}): Meter {
  return new Meter({
    store,
    source: () => [DEV],
    now: clock.now,
    onError: (error) => {
      throw error;
    },
    ...options,
  });
}

describe('Meter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('integrates 10 one-minute samples of 250m CPU and 512Mi into 2.5 core-minutes and 5 GiB-minutes', async () => {
    const store = await fileStore();
    const clock = manualClock(T0);
    const meter = meterWith(store, clock);
    await tickEveryMinute(meter, clock, T0, T0 + 10 * MINUTE);
    clock.set(T0 + 10 * MINUTE);
    await meter.stop();

    const report = await readReport(store, { from: T0, to: T0 + 10 * MINUTE, by: 'space' });
    const row = report.rows[0];
    // 0.25 cores × 10 minutes = 2.5 core-minutes; 512Mi = 0.5 GiB × 10 minutes = 5 GiB-minutes.
    expect(integralInUnits('requests.cpu', row?.integrals.get('requests.cpu') ?? 0n)).toBe('2.5');
    expect(integralInUnits('requests.memory', row?.integrals.get('requests.memory') ?? 0n)).toBe('5');
    expect(report.coveredMs).toBe(10 * MINUTE);
    expect(report.gaps).toEqual([]);
  });

  it('writes a bucket, with its coverage, once the clock has moved past its end', async () => {
    const store = await fileStore();
    const clock = manualClock(T0);
    const meter = meterWith(store, clock, { bucketMs: 2 * MINUTE });
    await tickEveryMinute(meter, clock, T0, T0 + 2 * MINUTE);
    expect((await store.read(T0, T0 + HOUR)).records).toEqual([]);

    clock.set(T0 + 2 * MINUTE);
    await meter.tick();
    const { records } = await store.read(T0, T0 + HOUR);
    // The [0, 2m) bucket is complete: 250 millicores × 120 000 ms.
    expect(records).toEqual([
      expect.objectContaining({ type: 'bucket', start: T0, end: T0 + 2 * MINUTE, integrals: expect.any(Map) }),
      { type: 'coverage', from: T0, to: T0 + 2 * MINUTE },
    ]);
    expect((records[0] as Extract<MeterRecord, { type: 'bucket' }>).integrals.get('requests.cpu')).toBe(250n * 120_000n);
  });

  it('holds the last sample until stop, or one interval if stop comes later', async () => {
    const store = await fileStore();
    const clock = manualClock(T0);
    const meter = meterWith(store, clock);
    await meter.tick();
    clock.set(T0 + 5 * MINUTE);
    await meter.stop();
    // Held for one interval only: [T0, T0 + 1m); the 4 minutes after are a gap.
    expect((await store.read(T0, T0 + HOUR)).records.filter((r) => r.type === 'coverage')).toEqual([
      { type: 'coverage', from: T0, to: T0 + MINUTE },
    ]);
  });

  it('reports the time between a stop and a later start as a gap', async () => {
    const store = await fileStore();
    const clock = manualClock(T0);
    const first = meterWith(store, clock);
    await first.start();
    await tickEveryMinute(first, clock, T0 + MINUTE, T0 + 5 * MINUTE);
    clock.set(T0 + 5 * MINUTE);
    await first.stop();

    clock.set(T0 + 30 * MINUTE);
    const second = meterWith(store, clock);
    await second.start();
    await tickEveryMinute(second, clock, T0 + 31 * MINUTE, T0 + 35 * MINUTE);
    clock.set(T0 + 35 * MINUTE);
    await second.stop();

    const report = await readReport(store, { from: T0, to: T0 + 35 * MINUTE, by: 'space' });
    expect(report.gaps).toEqual([{ from: T0 + 5 * MINUTE, to: T0 + 30 * MINUTE, durationMs: 25 * MINUTE, kind: 'not-metered' }]);
    // Measured 5 + 5 = 10 minutes at 0.25 cores = 2.5 core-minutes.
    expect(integralInUnits('requests.cpu', report.rows[0]?.integrals.get('requests.cpu') ?? 0n)).toBe('2.5');
  });

  it('after a crash, keeps the written data and reports the unwritten span as a gap', async () => {
    const store = await fileStore();
    const clock = manualClock(T0);
    const crashed = meterWith(store, clock, { bucketMs: 10 * MINUTE });
    // Ticks at 0..14 min: the [0, 10m) bucket is written at 10 min; 10–14 min stays in memory.
    await tickEveryMinute(crashed, clock, T0, T0 + 15 * MINUTE);
    // The process dies: no stop().

    clock.set(T0 + 20 * MINUTE);
    const restarted = meterWith(store, clock, { bucketMs: 10 * MINUTE });
    await restarted.start();
    await tickEveryMinute(restarted, clock, T0 + 21 * MINUTE, T0 + 25 * MINUTE);
    clock.set(T0 + 25 * MINUTE);
    await restarted.stop();

    const report = await readReport(store, { from: T0, to: T0 + 25 * MINUTE, by: 'space' });
    expect(report.gaps).toEqual([{ from: T0 + 10 * MINUTE, to: T0 + 20 * MINUTE, durationMs: 10 * MINUTE, kind: 'not-metered' }]);
    // Measured [0, 10m) + [20m, 25m) = 15 minutes; × 0.25 cores = 3.75 core-minutes.
    expect(report.coveredMs).toBe(15 * MINUTE);
    expect(integralInUnits('requests.cpu', report.rows[0]?.integrals.get('requests.cpu') ?? 0n)).toBe('3.75');
  });

  it('never counts time twice when restarted with a clock behind the stored data', async () => {
    const store = await fileStore();
    const clock = manualClock(T0);
    const first = meterWith(store, clock);
    await tickEveryMinute(first, clock, T0, T0 + 5 * MINUTE);
    clock.set(T0 + 5 * MINUTE);
    await first.stop();

    clock.set(T0 + 3 * MINUTE);
    const second = meterWith(store, clock);
    await second.start();
    await tickEveryMinute(second, clock, T0 + 4 * MINUTE, T0 + 8 * MINUTE);
    clock.set(T0 + 8 * MINUTE);
    await second.stop();

    const report = await readReport(store, { from: T0, to: T0 + 8 * MINUTE, by: 'space' });
    // [0, 5m) from the first run, [5m, 8m) from the second: 8 minutes × 0.25 = 2 core-minutes, no overlap.
    expect(report.gaps).toEqual([]);
    expect(integralInUnits('requests.cpu', report.rows[0]?.integrals.get('requests.cpu') ?? 0n)).toBe('2');
  });

  it('skips a sample whose source fails, reports it to onError, and keeps metering', async () => {
    const store = await fileStore();
    const clock = manualClock(T0);
    const errors: unknown[] = [];
    const failure = new Error('quota list failed');
    let calls = 0;
    const meter = meterWith(store, clock, {
      source: () => {
        calls += 1;
        if (calls === 2) throw failure;
        return [DEV];
      },
      onError: (error) => errors.push(error),
    });
    await tickEveryMinute(meter, clock, T0, T0 + 4 * MINUTE);
    clock.set(T0 + 4 * MINUTE);
    await meter.stop();

    expect(errors).toEqual([failure]);
    const report = await readReport(store, { from: T0, to: T0 + 4 * MINUTE, by: 'space' });
    // The sample at 1 min failed: [1m, 2m) is a gap; 3 measured minutes × 0.25 = 0.75 core-minutes.
    expect(report.gaps).toEqual([{ from: T0 + MINUTE, to: T0 + 2 * MINUTE, durationMs: MINUTE, kind: 'not-metered' }]);
    expect(integralInUnits('requests.cpu', report.rows[0]?.integrals.get('requests.cpu') ?? 0n)).toBe('0.75');
  });

  it('treats an invalid sample like a failed one', async () => {
    const store = await fileStore();
    const clock = manualClock(T0);
    const errors: unknown[] = [];
    const meter = meterWith(store, clock, {
      source: async () => [{ ...DEV, used: { cpu: 'lots' } }],
      onError: (error) => errors.push(error),
    });
    await meter.tick();
    clock.set(T0 + MINUTE);
    await meter.stop();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ValidationError);
    expect((await store.read(T0, T0 + HOUR)).records).toEqual([]);
  });

  it('drops a batch the store fails to write, so that its time is a gap and nothing is counted twice', async () => {
    const written: MeterRecord[] = [];
    let failNext = true;
    const store: MeterStore = {
      append: async (records) => {
        if (failNext) {
          failNext = false;
          throw new Error('disk full');
        }
        written.push(...records);
      },
      read: async () => ({ records: written, unreadable: 0 }),
      coverageExtent: async () => undefined,
    };
    const clock = manualClock(T0);
    const errors: unknown[] = [];
    const meter = meterWith(store, clock, { bucketMs: MINUTE, onError: (error) => errors.push(error) });
    await tickEveryMinute(meter, clock, T0, T0 + 3 * MINUTE);
    clock.set(T0 + 3 * MINUTE);
    await meter.stop();
    expect(errors).toEqual([new Error('disk full')]);
    // The first bucket's write failed; the two after it arrived.
    expect(written.filter((r) => r.type === 'coverage')).toEqual([
      { type: 'coverage', from: T0 + MINUTE, to: T0 + 2 * MINUTE },
      { type: 'coverage', from: T0 + 2 * MINUTE, to: T0 + 3 * MINUTE },
    ]);
  });

  it('samples on its own timer, early enough that timer lateness leaves no gaps', async () => {
    vi.useFakeTimers({ now: T0 });
    const written: MeterRecord[] = [];
    const store: MeterStore = {
      append: async (records) => void written.push(...records),
      read: async () => ({ records: written, unreadable: 0 }),
      coverageExtent: async () => undefined,
    };
    const sampledAt: number[] = [];
    const meter = new Meter({
      store,
      source: () => {
        sampledAt.push(Date.now() - T0);
        return [DEV];
      },
    });
    await meter.start();
    expect(sampledAt).toEqual([0]);
    // Aiming 1 s early (a tenth of the interval, at most 1 s): samples at 0, 59, 118 and 177 s.
    await vi.advanceTimersByTimeAsync(3 * MINUTE);
    expect(sampledAt).toEqual([0, 59_000, 118_000, 177_000]);
    await meter.stop();
    expect(written.filter((r) => r.type === 'coverage')).toEqual([{ type: 'coverage', from: T0, to: T0 + 3 * MINUTE }]);
    // Stopped: no further samples.
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(sampledAt).toHaveLength(4);
  });

  it('refuses options that would break buckets, saying what to use', () => {
    const store: MeterStore = {
      append: async () => undefined,
      read: async () => ({ records: [], unreadable: 0 }),
      coverageExtent: async () => undefined,
    };
    expect(() => new Meter({ store, source: () => [], bucketMs: 7 * MINUTE })).toThrow(ValidationError);
    expect(() => new Meter({ store, source: () => [], bucketMs: 7 * MINUTE })).toThrow('bucketMs: 420000 does not divide a day');
    expect(() => new Meter({ store, source: () => [], intervalMs: 0 })).toThrow('intervalMs: 0 is not a positive whole number');
  });
});
