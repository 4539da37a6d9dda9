import { describe, expect, it } from 'vitest';
import { canonicalResources, orderResources, quantitiesAsStrings, sameResources } from './canonical.ts';

describe('canonical resource lists', () => {
  it('use quota keys and canonical quantities, sorted', () => {
    expect(canonicalResources({ memory: '2048Mi', cpu: 0.5 })).toEqual({ 'requests.cpu': '500m', 'requests.memory': '2Gi' });
  });

  it('keep the names as given when only the values are made canonical', () => {
    expect(quantitiesAsStrings({ memory: '2048Mi', cpu: 0.5 })).toEqual({ memory: '2Gi', cpu: '500m' });
  });

  it('compare equal whatever the spelling, and differ on any resource', () => {
    expect(sameResources({ cpu: '1' }, { 'requests.cpu': '1000m' })).toBe(true);
    expect(sameResources({ cpu: '1' }, { cpu: '1', pods: '1' })).toBe(false);
    expect(sameResources(undefined, undefined)).toBe(true);
    expect(sameResources(undefined, {})).toBe(false);
  });

  it('are shown CPU and memory first, then by name', () => {
    const ordered = orderResources(['pods', 'requests.memory', 'limits.cpu', 'requests.cpu']);
    expect(ordered).toEqual(['requests.cpu', 'requests.memory', 'limits.cpu', 'pods']);
  });
});
