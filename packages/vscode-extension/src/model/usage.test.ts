import { describe, expect, it } from 'vitest';
import { spaceNode, tenantNode } from '../testing/fixtures.ts';
import { fraction, overBudget, resourceRows, usageSummary } from './usage.ts';

describe('usage formatting', () => {
  it('says the unit once when both sides share it, and keeps CPU milli-units as they are', () => {
    expect(fraction('requests.memory', '3Gi', '8Gi')).toBe('3/8Gi');
    expect(fraction('requests.memory', '256Mi', '1Gi')).toBe('256Mi/1Gi');
    expect(fraction('requests.memory', '0', '2Gi')).toBe('0/2Gi');
    expect(fraction('requests.cpu', '1200m', '4')).toBe('1.2/4');
    expect(fraction('requests.cpu', '500m', '800m')).toBe('500m/800m');
    expect(fraction('requests.cpu', '100m', undefined)).toBe('100m/∞');
  });

  it('summarises CPU and memory as the issue shows it: cpu 1.2/4 · mem 3/8Gi', () => {
    const node = spaceNode('dev', { 'requests.cpu': '1200m', 'requests.memory': '3Gi' }, { 'requests.cpu': '4', 'requests.memory': '8Gi' });
    expect(usageSummary(node)).toBe('cpu 1.2/4 · mem 3/8Gi');
  });

  it('leaves out a resource that is neither budgeted nor used, and shows one that is used without a budget', () => {
    expect(usageSummary({ budget: { 'requests.cpu': '2' }, used: {} })).toBe('cpu 0/2');
    expect(usageSummary({ budget: {}, used: { 'requests.memory': '1Gi' } })).toBe('mem 1Gi/∞');
    expect(usageSummary({ budget: {}, used: {} })).toBe('');
  });

  it('lists every resource with what is free, CPU and memory first, leaving out zero caps nobody uses', () => {
    const node = spaceNode(
      'dev',
      { 'requests.cpu': '250m', pods: '2' },
      { 'requests.cpu': '1', 'requests.memory': '2Gi', pods: '10', 'services.nodeports': '0' },
    );
    const rows = resourceRows(node);
    expect(rows.map((r) => r.label)).toEqual(['cpu', 'mem', 'pods']);
    expect(rows[0]).toMatchObject({ used: '250m', budget: '1', free: '750m', over: false });
    expect(rows[0]?.allocated).toBeUndefined();
  });

  it('leaves out resources a parent neither bounds nor sees used or held', () => {
    const tenant = tenantNode('payments', [], { allocated: { 'requests.cpu': '1', 'services.nodeports': '0' } });
    expect(resourceRows(tenant).map((r) => r.label)).toEqual(['cpu', 'mem']);
  });

  it('gives parents what their children hold, and counts free from the allocation, not the use', () => {
    const tenant = tenantNode('payments', [], { used: { 'requests.cpu': '500m' } });
    const cpu = resourceRows(tenant)[0];
    expect(cpu).toMatchObject({ used: '500m', allocated: '2', budget: '4', free: '2' });
  });

  it('finds the resources over budget: use above a quota, or allocations above a budget', () => {
    expect(overBudget(spaceNode('dev', { 'requests.cpu': '1500m' }))).toEqual(['cpu']);
    expect(overBudget(tenantNode('t', [], { allocated: { 'requests.cpu': '5', 'requests.memory': '1Gi' } }))).toEqual(['cpu']);
    expect(overBudget(spaceNode('dev', { 'requests.cpu': '1' }))).toEqual([]);
  });
});
