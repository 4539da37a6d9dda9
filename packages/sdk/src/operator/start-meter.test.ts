import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileMeterStore } from '../meter/file-store.ts';
import { Meter } from '../meter/meter.ts';
import type { MeterStore } from '../meter/store.ts';
import { createLogger } from './log.ts';
import { startMeter } from './start-meter.ts';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** A file store whose reads fail `failures` times first, as the API server does while it is unreachable. */
async function flakyStore(failures: number): Promise<MeterStore & { reads: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'start-meter-'));
  dirs.push(dir);
  const inner = new FileMeterStore(dir);
  const store = {
    reads: 0,
    append: (records: Parameters<MeterStore['append']>[0]) => inner.append(records),
    read: (from: number, to: number) => inner.read(from, to),
    coverageExtent: async () => {
      store.reads++;
      if (store.reads <= failures) throw new Error('connect ECONNREFUSED 127.0.0.1:6443');
      return inner.coverageExtent();
    },
  };
  return store;
}

function logLines(): { lines: Record<string, unknown>[]; log: ReturnType<typeof createLogger> } {
  const lines: Record<string, unknown>[] = [];
  return { lines, log: createLogger({ write: (line) => lines.push(JSON.parse(line)), format: 'json', level: 'debug' }) };
}

const meterOn = (store: MeterStore) => new Meter({ store, source: () => [], intervalMs: 60_000, bucketMs: 60_000 });

describe('startMeter', () => {
  it('tries again while the store cannot be read, saying so each time, and starts once it can', async () => {
    const store = await flakyStore(2);
    const { lines, log } = logLines();
    const meter = meterOn(store);
    expect(await startMeter(meter, new AbortController().signal, log, { initialMs: 1, maxMs: 2 })).toBe(true);
    expect(store.reads).toBe(3);
    const warnings = lines.filter((l) => String(l.msg).startsWith('cannot read where metering stopped'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatchObject({ error: 'connect ECONNREFUSED 127.0.0.1:6443', retryInMs: 1 });
    await meter.stop();
  });

  it('gives up without an error once the signal aborts, and the meter is left stopped', async () => {
    const store = await flakyStore(Number.POSITIVE_INFINITY);
    const stopping = new AbortController();
    const meter = meterOn(store);
    const started = startMeter(meter, stopping.signal, logLines().log, { initialMs: 60_000, maxMs: 60_000 });
    // The first attempt fails and the retry waits a minute; aborting ends the wait at once.
    await new Promise((r) => setTimeout(r, 20));
    stopping.abort();
    expect(await started).toBe(false);
    expect(store.reads).toBe(1);
    await expect(meter.stop()).resolves.toBeUndefined();
  });
});
