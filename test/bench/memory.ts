import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { BenchContext } from './context.ts';
import type { Target } from './report.ts';
import type { MemoryChildTask, MemorySample } from './memory-child.ts';

/** The embedded SDK's memory while it creates many Spaces. */
export interface MemoryResult {
  spaces: number;
  concurrency: number;
  /** One sample every `every` Spaces, the first before any create, the last after all of them. */
  every: number;
  samples: MemorySample[];
  /** The child's peak resident memory over the whole run (its getrusage high-water mark). */
  peakRssMiB: number;
  seconds: number;
}

/**
 * Creates `count` Spaces in one tenant from a separate Node process that
 * embeds the SDK (Node's defaults, no heap flags, as a user's program runs),
 * and reports its memory every `every` Spaces. One tenant, as in the report
 * of issue 16, because every Space's allocation goes into its tenant's budget
 * ledger, which each create reads, checks and writes whole. The organization
 * is deleted afterwards without waiting for its namespaces.
 */
export async function memory(ctx: BenchContext, count: number, concurrency: number, every: number): Promise<MemoryResult> {
  const organization = 'bench-memory';
  const tenant = 't';
  const resources = { cpu: count, memory: `${count}Gi` };
  await ctx.kit.organizations.create({ name: organization, resources });
  await ctx.kit.tenants.create({ organization, name: tenant, resources });
  const task: MemoryChildTask = { kubeconfigPath: ctx.kubeconfigPath, organization, tenants: [tenant], count, concurrency, every };
  const samples = await runChild(task, (s) => ctx.log(`memory: ${s.created}/${count}, ${s.rssMiB.toFixed(0)} MiB RSS`));
  await ctx.kit.organizations.delete(organization, { wait: false });
  const last = samples.at(-1);
  return {
    spaces: count,
    concurrency,
    every,
    samples,
    peakRssMiB: Math.max(...samples.map((s) => s.peakRssMiB)),
    seconds: last?.seconds ?? Number.NaN,
  };
}

/** Runs memory-child.ts and collects its samples; rejects with its stderr when it fails. */
export function runChild(
  task: MemoryChildTask,
  onSample: (s: MemorySample) => void = () => {},
  node: { args?: readonly string[]; env?: Readonly<Record<string, string>> } = {},
): Promise<MemorySample[]> {
  return new Promise((resolve, reject) => {
    // NODE_OPTIONS from the benchmark's own environment must not tune the process being measured.
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    Object.assign(env, node.env);
    const child = spawn(process.execPath, [...(node.args ?? []), join(import.meta.dirname, 'memory-child.ts'), JSON.stringify(task)], {
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
      code === 0 ? resolve(samples) : reject(new Error(`the memory child exited with ${signal ?? code}: ${stderr}`)),
    );
  });
}

/** The issue's target for the embedded SDK, judged from the measurement. */
export function memoryTarget(m: MemoryResult, mode: 'full' | 'quick'): Target {
  const last = m.samples.at(-1);
  return {
    what: `embedded SDK memory after creating ${m.spaces} Spaces (peak RSS)`,
    target: mode === 'full' ? '≤ 200 MB at 5,000 Spaces' : `≤ 200 MB (quick run: ${m.spaces} Spaces)`,
    measured: `${m.peakRssMiB.toFixed(0)} MiB peak${last ? `, ${last.rssMiB.toFixed(0)} MiB at the end, ${last.heapUsedMiB.toFixed(0)} MiB heap used` : ''}`,
    met: m.peakRssMiB * 1.048576 <= 200,
  };
}

/** The report's section: one row per sample. */
export function memoryMarkdown(m: MemoryResult): string[] {
  const mib = (v: number) => `${v.toFixed(0)} MiB`;
  const out = ['## Embedded SDK memory', ''];
  out.push(
    `A separate Node process (Node's defaults, as a user's program runs) embeds the SDK and creates ${m.spaces} Spaces in one tenant, ${m.concurrency} at a time, each to Ready; ${m.seconds.toFixed(0)} s in all. ` +
      'RSS is what the machine gives the process; heap used is what V8 holds, garbage not yet collected included; when RSS grows far beyond it, the growth is the heap sized for the rate of allocation and the allocator keeping freed memory, not objects kept alive.',
    '',
  );
  out.push(
    '| Spaces | RSS | peak RSS | heap used | heap total | of it young generation | of it old generation | external | array buffers | seconds |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const s of m.samples) {
    const heap = [mib(s.heapUsedMiB), mib(s.heapTotalMiB), mib(s.newSpaceMiB), mib(s.oldSpaceMiB)];
    const cells = [s.created, mib(s.rssMiB), mib(s.peakRssMiB), ...heap, mib(s.externalMiB), mib(s.arrayBuffersMiB), s.seconds.toFixed(0)];
    out.push(`| ${cells.join(' | ')} |`);
  }
  out.push('');
  return out;
}
