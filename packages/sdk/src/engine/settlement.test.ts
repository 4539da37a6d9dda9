import { describe, expect, it } from 'vitest';
import type { Reservation, Space } from '../model/index.ts';
import type { EngineContext } from './context.ts';
import type { Held } from './allocation.ts';
import { withCommit } from './settlement.ts';
import { decideStatus, type StatusDecision } from './status.ts';

const entry: Reservation = {
  id: 'r1',
  kind: 'change',
  since: '2026-12-03T00:00:00Z',
  leaseSeconds: 30,
  basis: { 'requests.cpu': '1' },
  target: { 'requests.cpu': '2' },
  grow: { 'requests.cpu': '1' },
};
const ready: StatusDecision = { phase: 'Ready', conditions: [] };

function space(allocation?: Record<string, string>, allocationId?: string): Space {
  return {
    apiVersion: 'spacekit.dev/v1alpha1',
    kind: 'Space',
    metadata: { name: 'dev', namespace: 'acme--pay', generation: 1 },
    spec: { resources: { cpu: '2' } } as unknown as Space['spec'],
    status: { phase: 'Pending', ...(allocation && { allocation }), ...(allocationId && { allocationId }) },
  };
}

// Only the lease is read from the context by withCommit.
const ctx = { reservationLeaseMs: 30_000 } as EngineContext;
const held = (reservedAt: number): Held => ({ child: 'dev', entry, reservedAt });

describe('withCommit', () => {
  it('records the reservation on a copy that still has the allocation it started from', () => {
    const status = decideStatus(space({ 'requests.cpu': '1' }, 'r0'), withCommit(ctx, ready, held(performance.now())));
    expect(status).toMatchObject({ phase: 'Ready', allocation: { 'requests.cpu': '2' }, allocationId: 'r1' });
  });

  it('does not record it on a copy another change has moved on', () => {
    const status = decideStatus(space({ 'requests.cpu': '3' }, 'r9'), withCommit(ctx, ready, held(performance.now())));
    expect(status).toMatchObject({ allocation: { 'requests.cpu': '3' }, allocationId: 'r9' });
  });

  it('does not record it once the lease has run out, but keeps it on a copy that already has it', () => {
    const lapsed = held(performance.now() - 31_000);
    expect(decideStatus(space({ 'requests.cpu': '1' }, 'r0'), withCommit(ctx, ready, lapsed)).allocationId).toBe('r0');
    expect(decideStatus(space({ 'requests.cpu': '2' }, 'r1'), withCommit(ctx, ready, lapsed)).allocationId).toBe('r1');
  });

  it('leaves a decision alone when nothing is held', () => {
    expect(withCommit(ctx, ready, undefined)).toBe(ready);
  });
});
