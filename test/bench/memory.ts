import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stripTypeScriptTypes } from 'node:module';
import { OPERATOR_NODE_OPTIONS } from '@spacekit/sdk/operator';
import { type BenchContext, runCommand } from './context.ts';
import type { Target } from './report.ts';
import type { MemoryChildTask, MemorySample } from './memory-child.ts';

/** One child's run: its samples and its peak. */
export interface MemoryRun {
  /** Node's flags for the child; none is Node's defaults. */
  nodeFlags: string[];
  /** One sample every `every` Spaces, the first before any create, the last after all of them. */
  samples: MemorySample[];
  /** The child's peak resident memory over the whole run (its getrusage high-water mark). */
  peakRssMiB: number;
  seconds: number;
}

/** The embedded SDK's memory while it creates many Spaces. */
export interface MemoryResult {
  spaces: number;
  concurrency: number;
  every: number;
  /** With Node's defaults, as a user's program runs: what the target is judged on. */
  samples: MemorySample[];
  peakRssMiB: number;
  seconds: number;
  /** The same creates in a process whose heap is bounded by {@link BOUNDED_HEAP_FLAGS}. */
  bounded?: MemoryRun;
}

/**
 * The flags that bound V8's heap in the operator's Deployment, for a
 * program that embeds the SDK: without them, V8 sizes its young generation
 * and its old generation's growth from the machine's memory (on 24 GiB, a
 * young generation of 128 MiB), whatever the program keeps alive.
 */
export const BOUNDED_HEAP_FLAGS = OPERATOR_NODE_OPTIONS.split(' ');

/**
 * Creates `count` Spaces in one tenant from a separate Node process that
 * embeds the SDK as npm installs it (Node's defaults, no heap flags, as a
 * user's program runs), and reports its memory every `every` Spaces; then
 * the same in a second tenant from a process started with
 * {@link BOUNDED_HEAP_FLAGS}. The organization is deleted afterwards without
 * waiting for its namespaces.
 */
export async function memory(ctx: BenchContext, count: number, concurrency: number, every: number): Promise<MemoryResult> {
  const organization = 'bench-memory';
  const resources = { cpu: 2 * count, memory: `${2 * count}Gi` };
  await ctx.kit.organizations.create({ name: organization, resources });
  const sdk = await shippedSdk();
  const run = async (tenant: string, nodeFlags: string[]): Promise<MemoryRun> => {
    await ctx.kit.tenants.create({ organization, name: tenant, resources: { cpu: count, memory: `${count}Gi` } });
    const task: MemoryChildTask = { sdk, kubeconfigPath: ctx.kubeconfigPath, organization, tenants: [tenant], count, concurrency, every };
    const flags = nodeFlags.length ? ` (${nodeFlags.join(' ')})` : '';
    const samples = await runChild(
      ctx.scratch,
      task,
      (s) => ctx.log(`memory${flags}: ${s.created}/${count}, ${s.rssMiB.toFixed(0)} MiB RSS`),
      {
        args: nodeFlags,
      },
    );
    return {
      nodeFlags,
      samples,
      peakRssMiB: Math.max(...samples.map((s) => s.peakRssMiB)),
      seconds: samples.at(-1)?.seconds ?? Number.NaN,
    };
  };
  try {
    const defaults = await run('t', []);
    const bounded = await run('b', BOUNDED_HEAP_FLAGS);
    return {
      spaces: count,
      concurrency,
      every,
      samples: defaults.samples,
      peakRssMiB: defaults.peakRssMiB,
      seconds: defaults.seconds,
      bounded,
    };
  } finally {
    await ctx.kit.organizations.delete(organization, { wait: false });
  }
}

const ROOT = resolve(import.meta.dirname, '../..');

/** Builds the SDK as `pnpm pack` does (prepack) and returns the file URL of its entry point. */
export async function shippedSdk(): Promise<string> {
  await runCommand(process.execPath, [join(ROOT, 'packages/sdk/scripts/build.ts')]);
  return pathToFileURL(join(ROOT, 'packages/sdk/lib/index.js')).href;
}

/**
 * Runs memory-child.ts, made plain JavaScript in `scratch`, and collects its
 * samples; rejects with its stderr when it fails.
 */
export async function runChild(
  scratch: string,
  task: MemoryChildTask,
  onSample: (s: MemorySample) => void = () => {},
  node: { args?: readonly string[]; env?: Readonly<Record<string, string>> } = {},
): Promise<MemorySample[]> {
  const source = join(import.meta.dirname, 'memory-child.ts');
  const script = join(scratch, 'memory-child.mjs');
  writeFileSync(script, stripTypeScriptTypes(readFileSync(source, 'utf8')));
  return new Promise((done, reject) => {
    // NODE_OPTIONS from the benchmark's own environment must not tune the process being measured.
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    Object.assign(env, node.env);
    const child = spawn(process.execPath, [...(node.args ?? []), script, JSON.stringify(task)], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const samples: MemorySample[] = [];
    let pending = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const sample = JSON.parse(pending.slice(0, nl)) as MemorySample;
        pending = pending.slice(nl + 1);
        samples.push(sample);
        onSample(sample);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-8192);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? done(samples) : reject(new Error(`the memory child exited with ${signal ?? code}: ${stderr}`)),
    );
  });
}

/** The issue's target for the embedded SDK, judged from the measurement. */
export function memoryTarget(m: MemoryResult, mode: 'full' | 'quick'): Target {
  const last = m.samples.at(-1);
  return {
    what: `embedded SDK memory after creating ${m.spaces} Spaces (peak RSS)`,
    target: mode === 'full' ? '≤ 200 MB at 5,000 Spaces' : `≤ 200 MB (quick run: ${m.spaces} Spaces)`,
    measured:
      `${m.peakRssMiB.toFixed(0)} MiB peak with Node's defaults${last ? ` (${last.heapUsedMiB.toFixed(0)} MiB heap used at the end)` : ''}` +
      (m.bounded ? `; ${m.bounded.peakRssMiB.toFixed(0)} MiB peak with ${m.bounded.nodeFlags.join(' ')}` : ''),
    met: m.peakRssMiB * 1.048576 <= 200,
  };
}

/** The report's section: one row per sample, for Node's defaults and for the bounded heap. */
export function memoryMarkdown(m: MemoryResult): string[] {
  const out = ['## Embedded SDK memory', ''];
  out.push(
    `A separate Node process embeds the SDK as npm installs it (plain JavaScript from lib/) and creates ${m.spaces} Spaces in one tenant, ${m.concurrency} at a time, each to Ready; ${m.seconds.toFixed(0)} s in all, with Node's defaults, as a user's program runs. ` +
      "RSS is what the machine gives the process: the node binary's pages (file-backed), and anonymous memory, which is V8's heap as reserved plus what malloc holds. Heap used is what V8 holds, garbage not yet collected included. " +
      'When heap used comes back to where it started while RSS stays high, nothing is kept per Space: the growth is V8 sizing its heap for the rate of allocation, and the allocator keeping what it freed.',
    '',
    ...memoryTable(m.samples),
  );
  if (m.bounded) {
    out.push(
      `The same creates from a process started with \`${m.bounded.nodeFlags.join(' ')}\`, which bound V8's heap (peak ${m.bounded.peakRssMiB.toFixed(0)} MiB, ${m.bounded.seconds.toFixed(0)} s):`,
      '',
      ...memoryTable(m.bounded.samples),
    );
  }
  return out;
}

function memoryTable(samples: readonly MemorySample[]): string[] {
  const mib = (v: number) => (Number.isFinite(v) ? `${v.toFixed(0)} MiB` : '–');
  const out = [
    '| Spaces | RSS | of it file-backed | of it anonymous | peak RSS | heap used | heap total | of it young generation | of it old generation | external | seconds |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const s of samples) {
    const rss = [mib(s.rssMiB), mib(s.rssFileMiB), mib(s.rssAnonMiB), mib(s.peakRssMiB)];
    const heap = [mib(s.heapUsedMiB), mib(s.heapTotalMiB), mib(s.newSpaceMiB), mib(s.oldSpaceMiB)];
    out.push(`| ${[s.created, ...rss, ...heap, mib(s.externalMiB), s.seconds.toFixed(0)].join(' | ')} |`);
  }
  out.push('');
  return out;
}
