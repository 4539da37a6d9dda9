import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { FileMeterStore, meterFileName } from './file-store.ts';
import type { BucketRecord, CoverageRecord } from './records.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOV_29 = Date.UTC(2026, 10, 29);

function bucket(start: number, end: number, cpu: bigint, space = 'dev'): BucketRecord {
  return { type: 'bucket', organization: 'acme', tenant: 'payments', space, start, end, integrals: new Map([['requests.cpu', cpu]]) };
}

function coverage(from: number, to: number): CoverageRecord {
  return { type: 'coverage', from, to };
}

const tempDirs: string[] = [];
afterAll(() => Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'meter-store-'));
  tempDirs.push(dir);
  return dir;
}

describe('FileMeterStore', () => {
  it('reads back what it appended, integrals exact beyond 64 bits', async () => {
    const store = new FileMeterStore(await tempDir());
    const huge = 2n ** 70n + 1n;
    const records = [bucket(NOV_29 + 10 * HOUR, NOV_29 + 11 * HOUR, huge), coverage(NOV_29 + 10 * HOUR, NOV_29 + 11 * HOUR)];
    await store.append(records);
    expect(await store.read(NOV_29, NOV_29 + DAY)).toEqual({ records, unreadable: 0 });
  });

  it('creates its directory on the first append', async () => {
    const dir = join(await tempDir(), 'nested', 'meter');
    const store = new FileMeterStore(dir);
    expect(await store.read(NOV_29, NOV_29 + DAY)).toEqual({ records: [], unreadable: 0 });
    expect(await store.coverageExtent()).toBeUndefined();
    await store.append([coverage(NOV_29, NOV_29 + HOUR)]);
    expect(await readdir(dir)).toEqual(['meter-2026-11-29.jsonl']);
  });

  it('writes the documented JSON Lines format', async () => {
    const dir = await tempDir();
    await new FileMeterStore(dir).append([bucket(NOV_29, NOV_29 + HOUR, 150_000_000n), coverage(NOV_29, NOV_29 + HOUR)]);
    const lines = (await readFile(join(dir, 'meter-2026-11-29.jsonl'), 'utf8')).split('\n');
    expect(lines.map((line) => (line === '' ? '' : JSON.parse(line)))).toEqual([
      {
        type: 'bucket',
        start: '2026-11-29T00:00:00.000Z',
        end: '2026-11-29T01:00:00.000Z',
        organization: 'acme',
        tenant: 'payments',
        space: 'dev',
        integrals: { 'requests.cpu': '150000000' },
      },
      { type: 'coverage', from: '2026-11-29T00:00:00.000Z', to: '2026-11-29T01:00:00.000Z' },
      '',
    ]);
  });

  it('rotates files per UTC day and splits coverage at midnight', async () => {
    const dir = await tempDir();
    const store = new FileMeterStore(dir);
    const midnight = NOV_29 + DAY;
    await store.append([
      bucket(midnight - HOUR, midnight, 1n),
      bucket(midnight, midnight + HOUR, 2n),
      coverage(midnight - HOUR, midnight + HOUR),
    ]);
    expect((await readdir(dir)).sort()).toEqual(['meter-2026-11-29.jsonl', 'meter-2026-11-30.jsonl']);
    const firstDay = await store.read(NOV_29, midnight);
    expect(firstDay.records).toEqual([bucket(midnight - HOUR, midnight, 1n), coverage(midnight - HOUR, midnight)]);
    const secondDay = await store.read(midnight, midnight + DAY);
    expect(secondDay.records).toEqual([bucket(midnight, midnight + HOUR, 2n), coverage(midnight, midnight + HOUR)]);
  });

  it('returns only records overlapping the window; touching is not overlapping', async () => {
    const store = new FileMeterStore(await tempDir());
    await store.append([
      bucket(NOV_29, NOV_29 + HOUR, 1n),
      bucket(NOV_29 + HOUR, NOV_29 + 2 * HOUR, 2n),
      bucket(NOV_29 + 2 * HOUR, NOV_29 + 3 * HOUR, 3n),
      coverage(NOV_29, NOV_29 + 3 * HOUR),
    ]);
    const { records } = await store.read(NOV_29 + HOUR, NOV_29 + 2 * HOUR);
    expect(records).toEqual([bucket(NOV_29 + HOUR, NOV_29 + 2 * HOUR, 2n), coverage(NOV_29, NOV_29 + 3 * HOUR)]);
  });

  it('reads only the files of the days the window overlaps', async () => {
    const dir = await tempDir();
    const store = new FileMeterStore(dir);
    await store.append([coverage(NOV_29, NOV_29 + HOUR)]);
    // An unreadable file two days earlier is counted only when a window reaches into its day.
    await writeFile(join(dir, meterFileName(NOV_29 - 2 * DAY)), 'not json\n');
    expect((await store.read(NOV_29, NOV_29 + DAY)).unreadable).toBe(0);
    expect((await store.read(NOV_29 - DAY, NOV_29 + DAY)).unreadable).toBe(0);
    expect((await store.read(NOV_29 - DAY - 1, NOV_29 + DAY)).unreadable).toBe(1);
  });

  it('skips and counts a torn last line, and appends after it without losing the next record', async () => {
    const dir = await tempDir();
    const store = new FileMeterStore(dir);
    await store.append([bucket(NOV_29, NOV_29 + HOUR, 1n), coverage(NOV_29, NOV_29 + HOUR)]);
    // What a crash in the middle of an append leaves behind.
    await appendFile(join(dir, 'meter-2026-11-29.jsonl'), '{"type":"bucket","start":"2026-11-29T01:00:00.000Z","en');
    const torn = await store.read(NOV_29, NOV_29 + DAY);
    expect(torn).toEqual({ records: [bucket(NOV_29, NOV_29 + HOUR, 1n), coverage(NOV_29, NOV_29 + HOUR)], unreadable: 1 });

    // A new store instance, as after a restart.
    await new FileMeterStore(dir).append([coverage(NOV_29 + 2 * HOUR, NOV_29 + 3 * HOUR)]);
    const after = await store.read(NOV_29, NOV_29 + DAY);
    expect(after.unreadable).toBe(1);
    expect(after.records).toEqual([...torn.records, coverage(NOV_29 + 2 * HOUR, NOV_29 + 3 * HOUR)]);
  });

  it('skips lines that are JSON but not records', async () => {
    const dir = await tempDir();
    const lines = [
      '{"type":"coverage","from":"2026-11-29T00:00:00Z","to":"2026-11-29T01:00:00Z"}',
      '{"type":"coverage","from":"yesterday","to":"2026-11-29T01:00:00Z"}',
      '{"type":"bucket","start":"2026-11-29T00:00:00Z","end":"2026-11-29T01:00:00Z","organization":"a","tenant":"b","space":"c","integrals":{"requests.cpu":1.5}}',
      '{"type":"gauge"}',
      '[]',
    ];
    await writeFile(join(dir, 'meter-2026-11-29.jsonl'), `${lines.join('\n')}\n`);
    expect(await new FileMeterStore(dir).read(NOV_29, NOV_29 + DAY)).toEqual({ records: [coverage(NOV_29, NOV_29 + HOUR)], unreadable: 4 });
  });

  it('reports the extent of its coverage across files', async () => {
    const store = new FileMeterStore(await tempDir());
    await store.append([coverage(NOV_29 + 5 * HOUR, NOV_29 + 6 * HOUR)]);
    await store.append([
      coverage(NOV_29 - 3 * DAY + HOUR, NOV_29 - 3 * DAY + 2 * HOUR),
      bucket(NOV_29 - 3 * DAY, NOV_29 - 3 * DAY + HOUR, 1n),
    ]);
    await store.append([
      coverage(NOV_29 + 2 * DAY, NOV_29 + 2 * DAY + HOUR),
      coverage(NOV_29 + 2 * DAY + 4 * HOUR, NOV_29 + 2 * DAY + 5 * HOUR),
    ]);
    expect(await store.coverageExtent()).toEqual({ from: NOV_29 - 3 * DAY + HOUR, to: NOV_29 + 2 * DAY + 5 * HOUR });
  });

  it('refuses a bucket record that crosses midnight, naming the fix', async () => {
    const store = new FileMeterStore(await tempDir());
    const append = store.append([bucket(NOV_29 + DAY - HOUR, NOV_29 + DAY + HOUR, 1n)]);
    await expect(append).rejects.toThrow(ValidationError);
    await expect(append).rejects.toThrow('use a bucket length that divides a day');
  });
});
