import { describe, expect, it } from 'vitest';
import { formatForResource, formatQuantity, styleForResource, type QuantityStyle } from './format.ts';

const BYTE = 1000n;
const KI = 1024n * BYTE;
const MI = 1024n * KI;
const GI = 1024n * MI;

describe('formatQuantity', () => {
  const cases: ReadonlyArray<{ milli: bigint; style: QuantityStyle; text: string }> = [
    { milli: 500n, style: 'cpu', text: '500m' },
    { milli: 1000n, style: 'cpu', text: '1' },
    { milli: 1500n, style: 'cpu', text: '1500m' },
    { milli: 1n, style: 'cpu', text: '1m' },
    { milli: 0n, style: 'cpu', text: '0' },
    { milli: 2_000_000n, style: 'cpu', text: '2000' },
    { milli: -250n, style: 'cpu', text: '-250m' },
    { milli: GI, style: 'bytes', text: '1Gi' },
    { milli: 1536n * MI, style: 'bytes', text: '1536Mi' },
    { milli: 512n * MI, style: 'bytes', text: '512Mi' },
    { milli: KI, style: 'bytes', text: '1Ki' },
    { milli: 1500n * BYTE, style: 'bytes', text: '1500' },
    { milli: 1000n * BYTE, style: 'bytes', text: '1000' },
    { milli: 1024n * GI * 1024n, style: 'bytes', text: '1Pi' },
    { milli: 0n, style: 'bytes', text: '0' },
    { milli: -2n * GI, style: 'bytes', text: '-2Gi' },
    { milli: 1500n, style: 'bytes', text: '1500m' },
    { milli: 10_000n, style: 'plain', text: '10' },
    { milli: 500n, style: 'plain', text: '500m' },
    { milli: 1024n * BYTE, style: 'plain', text: '1024' },
  ];

  it.each(cases)('writes $milli milli-units as $text in $style style', ({ milli, style, text }) => {
    expect(formatQuantity(milli, style)).toBe(text);
  });
});

describe('styleForResource', () => {
  const cases: ReadonlyArray<{ name: string; style: QuantityStyle }> = [
    { name: 'cpu', style: 'cpu' },
    { name: 'requests.cpu', style: 'cpu' },
    { name: 'limits.cpu', style: 'cpu' },
    { name: 'memory', style: 'bytes' },
    { name: 'requests.memory', style: 'bytes' },
    { name: 'limits.memory', style: 'bytes' },
    { name: 'storage', style: 'bytes' },
    { name: 'requests.storage', style: 'bytes' },
    { name: 'ephemeral-storage', style: 'bytes' },
    { name: 'limits.ephemeral-storage', style: 'bytes' },
    { name: 'hugepages-2Mi', style: 'bytes' },
    { name: 'requests.hugepages-1Gi', style: 'bytes' },
    { name: 'gold.storageclass.storage.k8s.io/requests.storage', style: 'bytes' },
    { name: 'gold.storageclass.storage.k8s.io/persistentvolumeclaims', style: 'plain' },
    { name: 'count/storageclasses.storage.k8s.io', style: 'plain' },
    { name: 'pods', style: 'plain' },
    { name: 'services', style: 'plain' },
    { name: 'services.loadbalancers', style: 'plain' },
    { name: 'count/deployments.apps', style: 'plain' },
    { name: 'requests.nvidia.com/gpu', style: 'plain' },
  ];

  it.each(cases)('writes $name in $style style', ({ name, style }) => {
    expect(styleForResource(name)).toBe(style);
  });
});

describe('formatForResource', () => {
  it('writes each resource the way a ResourceQuota author would', () => {
    expect(formatForResource('requests.cpu', 1500n)).toBe('1500m');
    expect(formatForResource('limits.memory', 4n * GI)).toBe('4Gi');
    expect(formatForResource('pods', 10_000n)).toBe('10');
    expect(formatForResource('count/deployments.apps', 3000n)).toBe('3');
  });
});
