import { describe, expect, it } from 'vitest';
import type { Reservation, Space } from '../model/index.ts';
import type { Held } from './allocation.ts';
import { releasedOther } from './allocation.ts';
import { recordingStatus } from './settlement.ts';

const entry: Reservation = {
  id: 'r1',
  kind: 'change',
  since: '2026-12-03T00:00:00Z',
  leaseSeconds: 30,
  basis: { 'requests.cpu': '1' },
  target: { 'requests.cpu': '2' },
  grow: { 'requests.cpu': '1' },
};

function space(allocation?: Record<string, string>, allocationId?: string): Space {
  return {
    apiVersion: 'spacekit.dev/v1alpha1',
    kind: 'Space',
    metadata: { name: 'dev', namespace: 'acme--pay', generation: 1 },
    spec: { resources: { cpu: '2' } } as unknown as Space['spec'],
    status: { phase: 'Pending', ...(allocation && { allocation }), ...(allocationId && { allocationId }) },
  };
}

const held: Held = { child: 'dev', entry, reservedAt: 0 };

describe('recordingStatus', () => {
  it('records the reservation on a copy that still has the allocation it started from', () => {
    expect(recordingStatus(space({ 'requests.cpu': '1' }, 'r0'), held, true)).toMatchObject({
      phase: 'Pending',
      allocation: { 'requests.cpu': '2' },
      allocationId: 'r1',
    });
  });

  it('does not record it on a copy another change has moved on', () => {
    expect(recordingStatus(space({ 'requests.cpu': '3' }, 'r9'), held, true)).toBeUndefined();
  });

  it('does not record it once the lease has run out, but keeps a copy that already has it', () => {
    expect(recordingStatus(space({ 'requests.cpu': '1' }, 'r0'), held, false)).toBeUndefined();
    expect(recordingStatus(space({ 'requests.cpu': '2' }, 'r1'), held, false)?.allocationId).toBe('r1');
  });

  it('records a new child, which has no allocation yet, from an empty basis', () => {
    const fresh = { ...held, entry: { ...entry, basis: {} } };
    expect(recordingStatus(space(), fresh, true)?.allocation).toEqual({ 'requests.cpu': '2' });
  });
});

describe('releasedOther', () => {
  const release: Reservation = { id: 'r', kind: 'release', since: '2026-12-03T00:00:00Z', leaseSeconds: 0, uid: 'u1' };

  it('tells a child made since under the released name from the one released', () => {
    expect(releasedOther(release, { metadata: { uid: 'u2' } })).toBe(true);
    expect(releasedOther(release, { metadata: { uid: 'u1' } })).toBe(false);
  });

  it('cannot tell them apart without both uids, and then counts them the same', () => {
    expect(releasedOther({ ...release, uid: undefined }, { metadata: { uid: 'u2' } })).toBe(false);
    expect(releasedOther(release, { metadata: {} })).toBe(false);
  });
});
