import { describe, expect, it } from 'vitest';
import { formatBytes, growth, scalingSection, scalingTargets } from './scaling-report.ts';
import type { ScalingResult, ScalingStep } from './scaling.ts';
import { summarize } from './stats.ts';

const step = (spaces: number, createMs: number, writeBytes: number, tenantBytes: number): ScalingStep => ({
  spaces,
  filled: spaces - 1,
  fillPerSecond: 10,
  createMs: summarize([createMs - 1, createMs, createMs + 1]),
  writes: 10,
  writeBytes,
  bodyBytes: writeBytes - 1000,
  writeKinds: [
    { request: 'PUT tenants/status', bytes: tenantBytes },
    { request: 'POST spaces', bytes: 800 },
  ],
  conflicts: 0,
  tenantBytes,
  largest: { kind: 'Tenant', name: 'bench-scale/t', bytes: tenantBytes },
});

const result = (steps: ScalingStep[], extra: Partial<ScalingResult> = {}): ScalingResult => ({
  organization: 'bench-scale',
  samples: 3,
  concurrency: 8,
  background: 0,
  steps,
  deleteSeconds: 12,
  ...extra,
});

describe('formatBytes', () => {
  it('picks the unit by size and keeps a sensible precision', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(2.25 * 1024 ** 2)).toBe('2.25 MiB');
    expect(formatBytes(Number.NaN)).toBe('n/a');
  });
});

describe('growth', () => {
  it('is the largest step over the smallest, and NaN without two steps', () => {
    const steps = [step(10, 100, 1000, 3000), step(150, 125, 2000, 9000)];
    expect(growth(steps, (s) => s.writeBytes)).toBe(2);
    expect(growth(steps, (s) => s.createMs.median)).toBe(1.25);
    expect(growth(steps.slice(0, 1), (s) => s.writeBytes)).toBeNaN();
    expect(growth([], (s) => s.writeBytes)).toBeNaN();
  });
});

describe('scalingTargets', () => {
  it('computes each target from the measurements: met when flat, missed when it grows', () => {
    const flat = scalingTargets(result([step(10, 100, 13_000, 3000), step(150, 129, 14_000, 3100)]));
    expect(flat.map((t) => t.met)).toEqual([true, true, true]);
    expect(flat[0]?.measured).toBe('1.29× (129 ms against 100 ms, 150 against 10 Spaces)');

    const growing = scalingTargets(result([step(10, 100, 13_000, 3000), step(150, 131, 14_400, 3400)]));
    expect(growing.map((t) => t.met)).toEqual([false, false, false]);
    expect(growing[2]?.measured).toBe('1.13× (Tenant 3.3 KiB against Tenant 2.9 KiB, 150 against 10 Spaces)');
  });

  it('is never met when the run stopped early or measured only one step', () => {
    const stopped = scalingTargets(
      result([step(10, 100, 13_000, 3000), step(50, 100, 13_000, 3000)], {
        stopped: { spaces: 70, error: 'etcdserver: request is too large' },
      }),
    );
    expect(stopped.every((t) => !t.met)).toBe(true);
    expect(stopped[1]?.measured).toContain('stopped at 70 Spaces');
    const one = scalingTargets(result([step(10, 100, 13_000, 3000)]));
    expect(one.every((t) => !t.met && t.measured.startsWith('n/a'))).toBe(true);
  });
});

describe('scalingSection', () => {
  it('has a row per step and the writes by kind at both ends', () => {
    const text = scalingSection(result([step(10, 100, 13_000, 3000), step(1000, 150, 200_000, 190_000)])).join('\n');
    expect(text).toContain('| 10 | 10.0 | 100 ms | 101 ms | 10 | 12.7 KiB | 11.7 KiB | 0 | 2.9 KiB | Tenant 2.9 KiB |');
    expect(text).toContain('| 1,000 | 10.0 | 150 ms |');
    expect(text).toContain('| PUT tenants/status | 2.9 KiB | 185.5 KiB |');
    expect(text).not.toContain('Stopped at');
    expect(text).not.toContain('steady-state scenario');
    expect(text).toContain('Deleting the organization and its Spaces took 12 s.');
  });

  it('says where a run stopped, and which Spaces stayed in place meanwhile', () => {
    const text = scalingSection(
      result([step(10, 100, 13_000, 3000)], { background: 5000, stopped: { spaces: 70, error: 'request is too large' } }),
    ).join('\n');
    expect(text).toContain('Stopped at 70 Spaces: request is too large');
    expect(text).toContain('The 5,000 Spaces of the steady-state scenario');
    expect(scalingSection(result([], { deleteError: 'etcdserver: mvcc: database space exceeded' })).join('\n')).toContain(
      'Deleting the organization failed after 12 s: etcdserver: mvcc: database space exceeded',
    );
  });
});
