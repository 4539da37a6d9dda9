import { describe, expect, it } from 'vitest';
import { compareResources, integralInUnits, unitOf } from './units.ts';

describe('unitOf', () => {
  it.each([
    ['requests.cpu', 'core-minutes'],
    ['limits.cpu', 'core-minutes'],
    ['requests.memory', 'GiB-minutes'],
    ['requests.storage', 'GiB-minutes'],
    ['limits.ephemeral-storage', 'GiB-minutes'],
    ['pods', 'unit-minutes'],
    ['services', 'unit-minutes'],
    ['count/deployments.apps', 'unit-minutes'],
    ['requests.nvidia.com/gpu', 'unit-minutes'],
  ])('reports %s in %s', (resource, unit) => {
    expect(unitOf(resource)).toBe(unit);
  });
});

describe('integralInUnits', () => {
  it('converts millicore-milliseconds to core-minutes', () => {
    // 1 core-minute = 1000 millicores × 60 000 ms = 60 000 000.
    expect(integralInUnits('requests.cpu', 60_000_000n)).toBe('1');
    expect(integralInUnits('requests.cpu', 150_000_000n)).toBe('2.5');
  });

  it('converts milli-byte-milliseconds to GiB-minutes', () => {
    // 1 GiB-minute = 2^30 × 1000 milli-bytes × 60 000 ms.
    expect(integralInUnits('requests.memory', 2n ** 30n * 1000n * 60_000n * 3n)).toBe('3');
    // 1 MiB-minute = 1/1024 GiB-minute = 0.0009765625, rounded to 6 places.
    expect(integralInUnits('requests.memory', 2n ** 20n * 1000n * 60_000n)).toBe('0.000977');
  });

  it('rounds half up at the last decimal', () => {
    // 30 / 60 000 000 = 0.0000005 → 0.000001; 29 / 60 000 000 ≈ 0.00000048 → 0.
    expect(integralInUnits('pods', 30n)).toBe('0.000001');
    expect(integralInUnits('pods', 29n)).toBe('0');
    // 90 000 000 / 60 000 000 = 1.5 → 2 at 0 decimals.
    expect(integralInUnits('pods', 90_000_000n, 0)).toBe('2');
  });

  it('stays exact beyond float precision', () => {
    // 10^18 core-minutes + 1 millionth: 2^53 ≈ 9 × 10^15 could not hold this.
    expect(integralInUnits('requests.cpu', 10n ** 18n * 60_000_000n + 60n)).toBe('1000000000000000000.000001');
  });
});

describe('compareResources', () => {
  it('puts CPU first, then memory, other bytes and counts, requests before limits', () => {
    const resources = [
      'pods',
      'limits.memory',
      'requests.storage',
      'limits.cpu',
      'count/deployments.apps',
      'requests.memory',
      'requests.cpu',
    ];
    expect(resources.sort(compareResources)).toEqual([
      'requests.cpu',
      'limits.cpu',
      'requests.memory',
      'limits.memory',
      'requests.storage',
      'count/deployments.apps',
      'pods',
    ]);
  });
});
