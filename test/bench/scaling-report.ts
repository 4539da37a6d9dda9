// Pure: the scaling scenario's targets and its section of BENCHMARKS.md, from its measurements.
import type { Target } from './report.ts';
import type { ScalingResult, ScalingStep } from './scaling.ts';

/** Bytes for people: `512 B`, `1.5 KiB`, `2.25 MiB`. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  if (n < 1024) return `${Math.round(n)} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 ** 2).toFixed(2)} MiB`;
}

/** How much `measure` grew from the smallest step to the largest; NaN with fewer than two steps. */
export function growth(steps: readonly ScalingStep[], measure: (s: ScalingStep) => number): number {
  const first = steps[0];
  const last = steps.at(-1);
  if (!first || !last || steps.length < 2) return Number.NaN;
  return measure(last) / measure(first);
}

const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

/**
 * The three targets of issue 16, each the largest step against the smallest.
 * A run that stopped before its last step has not shown the target met,
 * whatever the steps it reached say.
 */
export function scalingTargets(r: ScalingResult): Target[] {
  const first = r.steps[0];
  const last = r.steps.at(-1);
  const span = first && last ? `${last.spaces.toLocaleString('en')} against ${first.spaces.toLocaleString('en')} Spaces` : '';
  const stopped = r.stopped ? `; stopped at ${r.stopped.spaces.toLocaleString('en')} Spaces` : '';
  const target = (what: string, limit: number, ratio: number, detail: string): Target => ({
    what,
    target: `≤ ${limit}× the smallest step`,
    measured: Number.isFinite(ratio) ? `${ratio.toFixed(2)}× (${detail}, ${span}${stopped})` : `n/a (fewer than two steps${stopped})`,
    met: Number.isFinite(ratio) && ratio <= limit && !r.stopped,
  });
  return [
    target(
      'scaling, one tenant: create latency at the largest step',
      1.3,
      growth(r.steps, (s) => s.createMs.median),
      first && last ? `${ms(last.createMs.median)} against ${ms(first.createMs.median)}` : '',
    ),
    target(
      'scaling, one tenant: bytes written per create',
      1.1,
      growth(r.steps, (s) => s.writeBytes),
      first && last ? `${formatBytes(last.writeBytes)} against ${formatBytes(first.writeBytes)}` : '',
    ),
    target(
      'scaling, one tenant: largest Spacekit object',
      1.1,
      growth(r.steps, (s) => s.largest.bytes),
      first && last
        ? `${last.largest.kind} ${formatBytes(last.largest.bytes)} against ${first.largest.kind} ${formatBytes(first.largest.bytes)}`
        : '',
    ),
  ];
}

/** The section of BENCHMARKS.md: a row per step, then where the bytes of one create go at the smallest and largest step. */
export function scalingSection(r: ScalingResult): string[] {
  const out: string[] = ['## Scaling: one tenant', ''];
  out.push(
    `One tenant grown step by step through the embedded SDK (${r.concurrency} creates in flight), then at each step ${r.samples} creates of one Space, one at a time, ` +
      'through a second SDK connection whose requests all pass a counting HTTPS proxy on 127.0.0.1 (one more loopback hop per request, at every step alike). ' +
      '"Writes" are the requests other than GET (lists and watches are GETs), access reviews included; their bytes are request line, headers and body as the SDK sent them, ' +
      'and "body" the bodies alone; medians over the samples. ' +
      (r.background > 0
        ? `The ${r.background.toLocaleString('en')} Spaces of the steady-state scenario stay in place meanwhile, in another organization. `
        : '') +
      'Object sizes are `JSON.stringify` of a GET when the step is reached, before the samples: the tenant, and the largest of the organization, the tenant and its Spaces. ' +
      "Bytes and sizes repeat to within a few bytes from run to run; latency follows the machine's load, so a small step-to-step difference says little.",
    '',
  );
  out.push(
    row([
      'Spaces',
      'fill, Spaces/s',
      'create median',
      'p95',
      'writes/create',
      'bytes written/create',
      'body bytes',
      '409s',
      'tenant',
      'largest object',
    ]),
    row(['---', '---', '---', '---', '---', '---', '---', '---', '---', '---']),
  );
  for (const s of r.steps) {
    out.push(
      row([
        s.spaces.toLocaleString('en'),
        s.filled > 0 ? s.fillPerSecond.toFixed(1) : '-',
        ms(s.createMs.median),
        ms(s.createMs.p95),
        s.writes,
        formatBytes(s.writeBytes),
        formatBytes(s.bodyBytes),
        s.conflicts,
        formatBytes(s.tenantBytes),
        `${s.largest.kind} ${formatBytes(s.largest.bytes)}`,
      ]),
    );
  }
  out.push('');
  if (r.stopped) out.push(`Stopped at ${r.stopped.spaces.toLocaleString('en')} Spaces: ${r.stopped.error}`, '');
  const ends = [...new Set([r.steps[0], r.steps.at(-1)])].filter((s) => s !== undefined);
  if (ends.length > 0) {
    out.push('Bytes written per create by kind of write (mean over the samples):', '');
    out.push(row(['write', ...ends.map((s) => `at ${s.spaces.toLocaleString('en')} Spaces`)]), row(['---', ...ends.map(() => '---')]));
    const kinds = [...new Set(ends.flatMap((s) => s.writeKinds.map((k) => k.request)))];
    for (const kind of kinds)
      out.push(
        row([
          kind,
          ...ends.map((s) => {
            const bytes = s.writeKinds.find((k) => k.request === kind)?.bytes;
            return bytes === undefined ? '-' : formatBytes(bytes);
          }),
        ]),
      );
    out.push('');
  }
  out.push(
    r.deleteError
      ? `Deleting the organization failed after ${r.deleteSeconds.toFixed(0)} s: ${r.deleteError}`
      : `Deleting the organization and its Spaces took ${r.deleteSeconds.toFixed(0)} s.`,
    '',
  );
  return out;
}
