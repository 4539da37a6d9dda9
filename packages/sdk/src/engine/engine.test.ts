import { describe, expect, it } from 'vitest';
import type { Space } from '../model/index.ts';
import { organizationFixture, spaceFixture, tenantFixture } from '../render/fixtures.ts';
import { expiryOf } from './expiry.ts';
import { effectiveBudget } from './allocation.ts';
import { overcommitCondition } from './rollup.ts';
import { quotaEnforced } from './space-decision.ts';
import { decideStatus, type StatusDecision } from './status.ts';
import { overBudget, sumUsed } from './usage.ts';

describe('effectiveBudget', () => {
  it('is the spec for an organization', () => {
    expect(effectiveBudget(organizationFixture('acme', { resources: { cpu: 8, memory: '16Gi' } }))).toEqual({
      'requests.cpu': '8',
      'requests.memory': '16Gi',
    });
  });

  it('is, for a tenant, the smaller of its spec and what its organization granted, per resource', () => {
    const tenant = tenantFixture('acme', 'payments', { resources: { cpu: 6, memory: '4Gi', pods: 10 } });
    // A refused growth: the spec asks for 6 cpu, the organization granted 4; memory was just cut to 4Gi.
    tenant.status = { usage: { hard: { 'requests.cpu': '4', 'requests.memory': '8Gi' } } };
    expect(effectiveBudget(tenant)).toEqual({ 'requests.cpu': '4', 'requests.memory': '4Gi', pods: '0' });
  });

  it('gives nothing for a tenant never reconciled, which has no grant yet', () => {
    expect(effectiveBudget(tenantFixture('acme', 'payments', { resources: { cpu: 1 } }))).toBeUndefined();
  });
});

describe('expiryOf', () => {
  const created = '2026-11-29T10:00:00Z';
  const at = (spec: Parameters<typeof spaceFixture>[3]) => {
    const space = spaceFixture('acme', 'ci', 'run', spec);
    space.metadata.creationTimestamp = created;
    return expiryOf(space);
  };

  it('counts a ttl from creation', () => {
    expect(at({ ttl: '1h30m' })).toBe(Date.parse(created) + 90 * 60_000);
  });

  it('takes the earlier of ttl and expiresAt, and nothing without either', () => {
    expect(at({ ttl: '2h', expiresAt: '2026-11-29T10:30:00Z' })).toBe(Date.parse('2026-11-29T10:30:00Z'));
    expect(at({ ttl: '10m', expiresAt: '2026-11-29T12:00:00Z' })).toBe(Date.parse(created) + 600_000);
    expect(at({})).toBeUndefined();
  });
});

describe('usage sums and budget checks', () => {
  it("sums children's used exactly, in canonical keys, skipping a status it cannot read", () => {
    const children = [
      { status: { usage: { used: { 'requests.cpu': '250m', 'requests.memory': '128Mi' } } } },
      { status: { usage: { used: { cpu: '0.75', memory: '128Mi' } } } },
      { status: { usage: { used: { cpu: 'lots' } } } },
      {},
    ];
    expect(sumUsed(children as never)).toEqual({ 'requests.cpu': '1', 'requests.memory': '256Mi' });
  });

  it('names the resources children hold beyond the budget, and says so in the Overcommitted condition', () => {
    expect(overBudget({ cpu: 2, memory: '4Gi' }, { 'requests.cpu': '3', 'requests.memory': '1Gi' })).toEqual(['requests.cpu']);
    const org = organizationFixture('acme', { resources: { cpu: 2 } });
    const condition = overcommitCondition(org, { hard: { 'requests.cpu': '2' }, allocated: { 'requests.cpu': '3' } }, 'tenant');
    expect(condition).toMatchObject({ type: 'Overcommitted', status: 'True' });
    expect(condition.message).toContain('requests.cpu: 3 held, 2 budgeted');
    expect(overcommitCondition(org, { hard: { 'requests.cpu': '2' }, allocated: { 'requests.cpu': '2' } }, 'tenant').status).toBe('False');
  });
});

describe('quotaEnforced', () => {
  it('is true only once the quota controller has counted the quota as it now stands', () => {
    const quota = (status?: object) => ({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'q' },
      spec: { hard: { 'requests.cpu': '1' } },
      ...(status && { status }),
    });
    expect(quotaEnforced(quota())).toBe(false);
    expect(quotaEnforced(quota({ hard: { 'requests.cpu': '1' } }))).toBe(false);
    expect(quotaEnforced(quota({ hard: { 'requests.cpu': '2' }, used: { 'requests.cpu': '0' } }))).toBe(false);
    expect(quotaEnforced(quota({ hard: { 'requests.cpu': '1000m' }, used: { 'requests.cpu': '0' } }))).toBe(true);
  });
});

describe('decideStatus', () => {
  const pending: StatusDecision = {
    phase: 'Pending',
    conditions: [
      { type: 'Ready', status: 'False', reason: 'QuotaPending', message: 'waiting for Kubernetes to start enforcing the quota' },
    ],
    fields: { namespace: 'acme--ci--run' },
    overtakenBy: (stored) => stored.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true,
  };
  const space = (status?: Space['status']) => ({
    ...spaceFixture('acme', 'ci', 'run'),
    metadata: { name: 'run', namespace: 'acme--ci', generation: 1 },
    ...(status && { status }),
  });

  it('applies a decision to a copy that has not overtaken it', () => {
    const status = decideStatus(space(), pending);
    expect(status).toMatchObject({ phase: 'Pending', namespace: 'acme--ci--run', observedGeneration: 1 });
    expect(status.conditions).toEqual([expect.objectContaining({ type: 'Ready', status: 'False', reason: 'QuotaPending' })]);
  });

  it('leaves alone a stored status that another writer moved past the decision', () => {
    const ready: Space['status'] = {
      phase: 'Ready',
      namespace: 'acme--ci--run',
      observedGeneration: 1,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Provisioned',
          message: 'namespace acme--ci--run is provisioned',
          lastTransitionTime: '2026-11-29T10:00:00Z',
          observedGeneration: 1,
        },
      ],
    };
    expect(decideStatus(space(ready), pending)).toEqual(ready);
    // Without the guard the same decision would send the Space back to Pending.
    const { overtakenBy: _, ...unguarded } = pending;
    expect(decideStatus(space(ready), unguarded).phase).toBe('Pending');
  });
});
