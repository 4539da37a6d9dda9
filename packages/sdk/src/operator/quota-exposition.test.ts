import { Gauge, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { Organization, Space, Tenant } from '../model/index.ts';
import { quotaExpositionChunks, type QuotaSource } from './quota-exposition.ts';

const quotaExposition = (source: QuotaSource) => [...quotaExpositionChunks(source)].join('');

const org = {
  metadata: { name: 'acme' },
  status: {
    usage: {
      hard: { 'requests.cpu': '8', 'requests.memory': '16Gi' },
      allocated: { 'requests.cpu': '2500m' },
      used: { 'requests.cpu': '0' },
    },
  },
} as unknown as Organization;
const tenant = {
  metadata: { name: 'pay', namespace: 'acme' },
  status: { usage: { hard: { 'requests.cpu': '4' }, used: { 'requests.memory': '1536Mi' } } },
} as unknown as Tenant;
const space = {
  metadata: { name: 'dev', namespace: 'acme--pay' },
  status: { usage: { hard: { 'requests.cpu': '250m', pods: '10' }, used: { 'requests.cpu': '100m' } } },
} as unknown as Space;
const unreadable = {
  metadata: { name: 'odd', namespace: 'acme--pay' },
  status: { usage: { hard: { 'requests.cpu': 'lots' } } },
} as unknown as Space;
const source: QuotaSource = { organizations: () => [org], tenants: () => [tenant], spaces: () => [space, unreadable] };

/** Every sample line of an exposition, sorted, so that two expositions compare regardless of order. */
const samples = (text: string) =>
  text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .sort();

describe('quotaExposition', () => {
  it('serves the same samples prom-client gauges would, for every level and resource', async () => {
    const registry = new Registry();
    const values: Record<string, number> = {
      '8': 8,
      '16Gi': 16 * 2 ** 30,
      '2500m': 2.5,
      '0': 0,
      '4': 4,
      '1536Mi': 1536 * 2 ** 20,
      '250m': 0.25,
      '10': 10,
      '100m': 0.1,
    };
    for (const field of ['hard', 'used', 'allocated'] as const) {
      const gauge = new Gauge({
        name: `spacekit_quota_${field}`,
        help: 'h',
        labelNames: ['level', 'organization', 'tenant', 'space', 'resource'],
        registers: [registry],
      });
      const set = (labels: Record<string, string>, list: Record<string, string | number> | undefined) => {
        for (const [resource, value] of Object.entries(list ?? {})) gauge.set({ ...labels, resource }, values[String(value)] ?? Number.NaN);
      };
      set({ level: 'organization', organization: 'acme', tenant: '', space: '' }, org.status?.usage?.[field]);
      set({ level: 'tenant', organization: 'acme', tenant: 'pay', space: '' }, tenant.status?.usage?.[field]);
      set({ level: 'space', organization: 'acme', tenant: 'pay', space: 'dev' }, space.status?.usage?.[field]);
    }
    expect(samples(quotaExposition(source))).toEqual(samples(await registry.metrics()));
  });

  it('declares each family once, as a gauge, and leaves out a status it cannot read', () => {
    const text = quotaExposition(source);
    for (const field of ['hard', 'used', 'allocated'])
      expect(text.split('\n').filter((l) => l === `# TYPE spacekit_quota_${field} gauge`)).toHaveLength(1);
    expect(text).not.toContain('space="odd"');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('escapes label values', () => {
    const strange = { metadata: { name: 'a"b\\c\nd' }, status: { usage: { hard: { pods: '1' } } } } as unknown as Organization;
    const text = quotaExposition({ organizations: () => [strange], tenants: () => [], spaces: () => [] });
    expect(text).toContain('organization="a\\"b\\\\c\\nd"');
  });
});

describe('quotaExpositionChunks', () => {
  it('streams the same text in chunks of whole lines', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ ...space, metadata: { name: `s${i}`, namespace: 'acme--pay' } }) as Space);
    const big: QuotaSource = { organizations: () => [org], tenants: () => [tenant], spaces: () => many };
    const chunks = [...quotaExpositionChunks(big, 16)];
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) expect(chunk.endsWith('\n')).toBe(true);
    expect(chunks.join('')).toBe([...quotaExpositionChunks(big, 100_000)].join(''));
    expect(samples(quotaExposition(big))).toHaveLength(4 + 2 + 50 * 3);
  });
});
