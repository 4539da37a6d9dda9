import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import type { KubeClient } from '../kube/client.ts';
import { resolveLeaderElection } from './leader-election-options.ts';
import { acquiredSpec, leaseRecord, microTime, releasedSpec, renewedSpec } from './lease.ts';

describe('lease records', () => {
  const stamp = '2026-11-29T10:00:00.000000Z';

  it('keep the acquisition and transitions across a renewal, and hand over on release', () => {
    const fresh = acquiredSpec('pod-a', 15_000, stamp);
    expect(fresh).toEqual({ holderIdentity: 'pod-a', leaseDurationSeconds: 15, acquireTime: stamp, renewTime: stamp, leaseTransitions: 0 });
    const old = { holderIdentity: 'pod-a', acquireTime: '2026-11-29T09:00:00.000000Z', leaseTransitions: 3 };
    expect(renewedSpec(fresh, old)).toMatchObject({ acquireTime: old.acquireTime, renewTime: stamp, leaseTransitions: 3 });
    expect(renewedSpec(fresh, {})).toMatchObject({ acquireTime: stamp, leaseTransitions: 0 });
    const released = { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: stamp, renewTime: stamp, leaseTransitions: 3 };
    expect(releasedSpec(old, stamp)).toEqual(released);
  });

  it('compare equal for one record read twice, and differ once any part changes', () => {
    const spec = acquiredSpec('pod-a', 15_000, stamp);
    expect(leaseRecord({ ...spec })).toBe(leaseRecord(spec));
    expect(leaseRecord({ ...spec, renewTime: '2026-11-29T10:00:02.000000Z' })).not.toBe(leaseRecord(spec));
    expect(leaseRecord({ ...spec, holderIdentity: 'pod-b' })).not.toBe(leaseRecord(spec));
  });

  it('write MicroTime with six fractional digits', () => {
    expect(microTime(new Date('2026-11-29T10:00:00.123Z'))).toBe('2026-11-29T10:00:00.123000Z');
  });
});

describe('resolveLeaderElection', () => {
  const callbacks = { onStartedLeading: () => {}, onStoppedLeading: () => {} };
  const base = { client: {} as KubeClient, namespace: 'ns', name: 'lease', identity: 'pod-a', ...callbacks };

  it("fills in client-go's timings", () => {
    expect(resolveLeaderElection(base)).toMatchObject({ leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 });
  });

  it('refuses timings that would let a standby start before the leader stops', () => {
    expect(() => resolveLeaderElection({ ...base, leaseDurationMs: 10_000, renewDeadlineMs: 10_000 })).toThrow(ValidationError);
    expect(() => resolveLeaderElection({ ...base, leaseDurationMs: 15_500 })).toThrow(/whole number of seconds/);
    expect(() => resolveLeaderElection({ ...base, retryPeriodMs: 9_000 })).toThrow(/retryPeriodMs/);
    expect(() => resolveLeaderElection({ ...base, identity: '' })).toThrow(/identity/);
  });
});
