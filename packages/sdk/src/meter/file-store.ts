import { mkdir, open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError } from '../errors.ts';
import { recordFromJson, recordToJson } from './record-json.ts';
import type { MeterRecord, TimeSpan } from './records.ts';
import type { MeterReadResult, MeterStore } from './store.ts';

const DAY_MS = 24 * 3_600_000;
const FILE_NAME = /^meter-(\d{4}-\d{2}-\d{2})\.jsonl$/;

/** The file holding a UTC day's records: `meter-2026-11-29.jsonl`. */
export function meterFileName(ms: number): string {
  return `meter-${new Date(ms).toISOString().slice(0, 10)}.jsonl`;
}

/**
 * The embedded {@link MeterStore}: append-only JSON Lines files in `dir`, one per UTC day, so that a
 * report over a week reads about eight files, and old days can be archived or deleted file by file.
 *
 * A record goes into the file of the day it starts; coverage that crosses midnight is split there.
 * Bucket records may not cross midnight, which holds for any bucket length that divides a day.
 * Lines that cannot be read, such as one torn by a crash mid-append, are skipped and counted.
 * One process should write a directory at a time; reading while another process writes is safe.
 */
export class FileMeterStore implements MeterStore {
  /** The directory holding the files; created on the first append. */
  readonly dir: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(dir: string) {
    this.dir = dir;
  }

  /**
   * Appends the records, each file with one write followed by a data sync, because flushes are rare
   * (one per bucket) and the data is what the usage report is built from.
   *
   * @throws {ValidationError} when a bucket record crosses midnight UTC.
   */
  async append(records: readonly MeterRecord[]): Promise<void> {
    const byFile = linesByFile(records);
    const write = this.#queue.then(async () => {
      await mkdir(this.dir, { recursive: true });
      for (const [name, lines] of byFile) {
        await this.#appendLines(name, lines);
      }
    });
    this.#queue = write.catch(() => undefined);
    await write;
  }

  async #appendLines(name: string, lines: readonly string[]): Promise<void> {
    const handle = await open(join(this.dir, name), 'a+');
    try {
      const { size } = await handle.stat();
      let prefix = '';
      if (size > 0) {
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        // A crash mid-append leaves a line without its newline; without this, our first record would be glued to it and lost too.
        if (last[0] !== 0x0a) prefix = '\n';
      }
      await handle.appendFile(`${prefix}${lines.join('\n')}\n`);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }

  /** Reads the files of the UTC days that `[from, to)` overlaps; see {@link MeterStore.read}. */
  async read(from: number, to: number): Promise<MeterReadResult> {
    const records: MeterRecord[] = [];
    let unreadable = 0;
    const firstDay = dayStart(from);
    for (const name of await this.#fileNames()) {
      const day = Date.parse(`${FILE_NAME.exec(name)?.[1] ?? ''}T00:00:00Z`);
      if (day < firstDay || day >= to) continue;
      const file = await this.#readFile(name);
      unreadable += file.unreadable;
      records.push(...file.records.filter((record) => overlaps(record, from, to)));
    }
    return { records, unreadable };
  }

  /** Reads the oldest and the newest file that hold coverage; see {@link MeterStore.coverageExtent}. */
  async coverageExtent(): Promise<TimeSpan | undefined> {
    const names = await this.#fileNames();
    const earliest = await this.#firstCoverage(names, (spans) => spans.reduce((min, span) => Math.min(min, span.from), Infinity));
    const latest = await this.#firstCoverage(names.toReversed(), (spans) => spans.reduce((max, span) => Math.max(max, span.to), -Infinity));
    return earliest === undefined || latest === undefined ? undefined : { from: earliest, to: latest };
  }

  async #firstCoverage(names: readonly string[], pick: (spans: TimeSpan[]) => number): Promise<number | undefined> {
    for (const name of names) {
      const coverage = (await this.#readFile(name)).records.filter((record) => record.type === 'coverage');
      if (coverage.length > 0) return pick(coverage);
    }
    return undefined;
  }

  async #fileNames(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((name) => FILE_NAME.test(name)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  async #readFile(name: string): Promise<MeterReadResult> {
    const records: MeterRecord[] = [];
    let unreadable = 0;
    for (const line of (await readFile(join(this.dir, name), 'utf8')).split('\n')) {
      if (line.trim() === '') continue;
      const record = recordFromJson(line);
      if (record === undefined) {
        unreadable += 1;
      } else {
        records.push(record);
      }
    }
    return { records, unreadable };
  }
}

function linesByFile(records: readonly MeterRecord[]): Map<string, string[]> {
  const byFile = new Map<string, string[]>();
  const add = (name: string, record: MeterRecord): void => {
    const lines = byFile.get(name) ?? [];
    lines.push(recordToJson(record));
    byFile.set(name, lines);
  };
  for (const record of records) {
    if (record.type === 'bucket') {
      if (record.end > dayStart(record.start) + DAY_MS) {
        throw new ValidationError('meter records', [
          { path: 'end', message: 'a bucket record must not cross midnight UTC; use a bucket length that divides a day, such as 1m or 1h' },
        ]);
      }
      add(meterFileName(record.start), record);
      continue;
    }
    for (let day = dayStart(record.from); day < record.to; day += DAY_MS) {
      add(meterFileName(day), { type: 'coverage', from: Math.max(record.from, day), to: Math.min(record.to, day + DAY_MS) });
    }
  }
  return byFile;
}

function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

function overlaps(record: MeterRecord, from: number, to: number): boolean {
  return record.type === 'bucket' ? record.start < to && record.end > from : record.from < to && record.to > from;
}
