// The process the memory scenario (memory.ts) measures: a program that embeds the SDK and does nothing
// but create Spaces, run with Node's defaults as a user would run it: plain JavaScript (memory.ts
// transforms this file) importing the SDK as npm installs it (lib/), so that neither TypeScript's type
// stripping nor the workspace's sources weigh in. It imports nothing else. It prints one JSON line per sample.
import { readFileSync } from 'node:fs';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { join } from 'node:path';

/** What the child is asked to do, passed as its one argument (JSON). */
export interface MemoryChildTask {
  /** The file URL of the SDK's entry point as npm users get it (packages/sdk/lib/index.js). */
  sdk: string;
  kubeconfigPath: string;
  organization: string;
  /** The Spaces go round these tenants in turn. */
  tenants: string[];
  count: number;
  concurrency: number;
  /** A sample every this many Spaces, and one after the last. */
  every: number;
  /** Where to write a heap snapshot at each sample, when investigating; none when undefined. */
  snapshotDir?: string;
}

/** One line the child prints: its memory after `created` Spaces, in MiB. */
export interface MemorySample {
  created: number;
  rssMiB: number;
  /** The process's high-water mark so far (getrusage), which a sample between peaks would miss. */
  peakRssMiB: number;
  /** Of the RSS, pages mapped from files: the node binary's code and data, which no program can shed. */
  rssFileMiB: number;
  /** Of the RSS, anonymous memory: V8's heap as reserved, and what malloc holds (buffers' backing stores included). */
  rssAnonMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
  /**
   * V8's young generation as reserved now: it grows towards a maximum Node
   * sizes from the machine's memory when much survives its scavenges, and
   * then counts in RSS whether or not anything lives there.
   */
  newSpaceMiB: number;
  /** The old generation as reserved now; what lives in it is part of heapUsed. */
  oldSpaceMiB: number;
  externalMiB: number;
  arrayBuffersMiB: number;
  seconds: number;
}

const MiB = 1024 * 1024;
const task = JSON.parse(process.argv[2] ?? '{}') as MemoryChildTask;
const { connect } = (await import(task.sdk)) as typeof import('@spacekit/sdk');
const kit = await connect({ kubeconfig: task.kubeconfigPath });
const started = performance.now();

/** A field of /proc/self/status in MiB (Linux), NaN where there is none. */
const statusMiB = (field: string): number => {
  try {
    const kB = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kB === undefined ? Number.NaN : Number(kB) / 1024;
  } catch {
    return Number.NaN;
  }
};

const sample = (created: number) => {
  const m = process.memoryUsage();
  const space = (name: string) => (getHeapSpaceStatistics().find((s) => s.space_name === name)?.space_size ?? 0) / MiB;
  const line: MemorySample = {
    created,
    rssMiB: m.rss / MiB,
    peakRssMiB: (process.resourceUsage().maxRSS * 1024) / MiB,
    rssFileMiB: statusMiB('RssFile'),
    rssAnonMiB: statusMiB('RssAnon'),
    heapUsedMiB: m.heapUsed / MiB,
    heapTotalMiB: m.heapTotal / MiB,
    newSpaceMiB: space('new_space'),
    oldSpaceMiB: space('old_space'),
    externalMiB: m.external / MiB,
    arrayBuffersMiB: m.arrayBuffers / MiB,
    seconds: (performance.now() - started) / 1000,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  if (task.snapshotDir) writeHeapSnapshot(join(task.snapshotDir, `sdk-${created}.heapsnapshot`));
};

sample(0);
let done = 0;
let next = 0;
const worker = async () => {
  for (let i = next++; i < task.count; i = next++) {
    await kit.spaces.create({
      organization: task.organization,
      tenant: task.tenants[i % task.tenants.length] ?? '',
      name: `m${i}`,
      resources: { cpu: '100m', memory: '128Mi' },
    });
    done++;
    if (done % task.every === 0 && done < task.count) sample(done);
  }
};
await Promise.all(Array.from({ length: task.concurrency }, worker));
sample(task.count);
