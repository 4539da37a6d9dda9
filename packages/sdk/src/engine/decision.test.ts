import { describe, expect, it } from 'vitest';
import { QuotaExceededError } from '../errors.ts';
import { organizationNamespace, type Space, spaceNamespace, tenantNamespace } from '../model/index.ts';
import { organizationFixture, spaceFixture, tenantFixture } from '../render/fixtures.ts';
import { selectedNamespaceProblem } from '../render/index.ts';
import { namespaceProblem } from './checks.ts';
import { type AllocationResult, decideGrant, decideNamespace, type Decision, type Settle } from './decision.ts';
import { decideOrganization, organizationReady } from './organization-decision.ts';
import {
  awaitsEnforcement,
  decideExpiry,
  decideProvisioned,
  decideSpace,
  type ObservedProvisioning,
  type QuotaObject,
} from './space-decision.ts';
import { decideStatus } from './status.ts';
import { decideTenant, tenantReady } from './tenant-decision.ts';

const key = { organization: 'acme', tenant: 'ci', name: 'run' };
const deleting = <T extends { metadata: object }>(object: T): T => ({
  ...object,
  metadata: { ...object.metadata, deletionTimestamp: '2026-11-29T10:00:00Z' },
});

/** The settle a decision stopped with; fails the test when it went on instead. */
function settled<T>(decision: Decision<T>): Settle {
  if (decision.kind !== 'settle') throw new Error(`expected the reconcile to stop, but it went on: ${JSON.stringify(decision)}`);
  return decision;
}

const ready = (condition: { reason: string } & Record<string, unknown>) =>
  expect.objectContaining({ type: 'Ready', status: 'False', ...condition });

describe('decideNamespace', () => {
  it('gives the namespace of valid names', () => {
    expect(decideNamespace(() => spaceNamespace('acme', 'ci', 'run'))).toEqual({ kind: 'proceed', namespace: 'acme--ci--run' });
  });

  it('fails a level whose names do not make a namespace, with the name error as its message', () => {
    const invalidNames = [
      () => organizationNamespace('Acme!'),
      () => tenantNamespace('acme', 'a'.repeat(70)),
      () => spaceNamespace('acme', 'ci', 'a--b'),
    ];
    for (const compute of invalidNames) {
      const stop = settled(decideNamespace(compute));
      expect(stop.outcome).toBe('invalid');
      expect(stop.status.phase).toBe('Failed');
      expect(stop.status.conditions).toEqual([ready({ reason: 'InvalidSpec', message: expect.stringMatching(/\S/) })]);
    }
  });

  it('fails a level whose namespace `refuse` gives a reason against, with that reason as its message', () => {
    const settings = { ingressNamespace: 'edge' };
    const stop = settled(
      decideNamespace(
        () => organizationNamespace('edge'),
        (ns) => selectedNamespaceProblem('organization', 'edge', ns, settings),
      ),
    );
    expect(stop.status.phase).toBe('Failed');
    expect(stop.status.conditions).toEqual([ready({ reason: 'InvalidSpec', message: expect.stringContaining('namespace "edge"') })]);
    expect(
      decideNamespace(
        () => organizationNamespace('acme'),
        (ns) => selectedNamespaceProblem('organization', 'acme', ns, settings),
      ),
    ).toEqual({
      kind: 'proceed',
      namespace: 'acme',
    });
  });

  it('lets an error that is not about names through', () => {
    expect(() =>
      decideNamespace(() => {
        throw new TypeError('boom');
      }),
    ).toThrow(TypeError);
  });
});

describe('namespaceProblem', () => {
  const ns = (labels: Record<string, string>, deletionTimestamp?: string) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'acme--ci--run', labels, ...(deletionTimestamp && { deletionTimestamp }) },
  });
  const ours = { 'app.kubernetes.io/managed-by': 'spacekit' };

  it('lets a level have a namespace that is missing or already its own', () => {
    expect(namespaceProblem(undefined, 'acme--ci--run', 'Space')).toBeUndefined();
    expect(namespaceProblem(ns(ours), 'acme--ci--run', 'Space')).toBeUndefined();
  });

  it('waits for a namespace still being deleted, and fails on one someone else made', () => {
    expect(namespaceProblem(ns(ours, '2026-11-29T10:00:00Z'), 'acme--ci--run', 'Space')).toMatchObject({
      outcome: 'waiting',
      decision: { phase: 'Pending', conditions: [ready({ reason: 'ParentNotReady', message: expect.stringContaining('being deleted') })] },
    });
    expect(namespaceProblem(ns({}), 'acme--ci--run', 'Tenant')).toMatchObject({
      outcome: 'invalid',
      decision: {
        phase: 'Failed',
        conditions: [ready({ reason: 'ProvisioningFailed', message: expect.stringContaining('choose another Tenant name') })],
      },
    });
  });
});

describe('decideSpace', () => {
  const org = organizationFixture('acme');
  const tenant = tenantFixture('acme', 'ci');
  const space = (spec: Parameters<typeof spaceFixture>[3] = {}) => spaceFixture('acme', 'ci', 'run', spec);

  it('goes on with both parents and the parsed spec when all is well', () => {
    const decision = decideSpace({ key, space: space({ resources: { cpu: 1 } }), organization: org, tenant });
    expect(decision).toMatchObject({ kind: 'proceed', organization: org, tenant, spec: { resources: { cpu: 1 }, sandbox: 'gvisor' } });
  });

  it('fails a Space whose organization or tenant does not exist, naming the missing one', () => {
    const noOrg = settled(decideSpace({ key, space: space(), organization: undefined, tenant }));
    expect(noOrg).toMatchObject({ outcome: 'invalid', status: { phase: 'Failed' } });
    const message = 'organization acme does not exist; create it first';
    expect(noOrg.status.conditions).toEqual([ready({ reason: 'ParentNotFound', message })]);
    const noTenant = settled(decideSpace({ key, space: space(), organization: org, tenant: undefined }));
    const tenantMessage = 'tenant acme/ci does not exist; create it first';
    expect(noTenant.status.conditions).toEqual([ready({ reason: 'ParentNotFound', message: tenantMessage })]);
  });

  it('waits while a parent is being deleted', () => {
    const orgGoing = settled(decideSpace({ key, space: space(), organization: deleting(org), tenant: deleting(tenant) }));
    expect(orgGoing).toMatchObject({ outcome: 'waiting', status: { phase: 'Pending' } });
    expect(orgGoing.status.conditions).toEqual([ready({ reason: 'ParentNotReady', message: 'organization acme is being deleted' })]);
    const tenantGoing = settled(decideSpace({ key, space: space(), organization: org, tenant: deleting(tenant) }));
    expect(tenantGoing.status.conditions).toEqual([ready({ reason: 'ParentNotReady', message: 'tenant acme/ci is being deleted' })]);
  });

  it('fails a spec the schema refuses, naming the field', () => {
    const bad = { ...space(), spec: { ...space().spec, sandbox: 'docker' } } as unknown as Space;
    const stop = settled(decideSpace({ key, space: bad, organization: org, tenant }));
    expect(stop).toMatchObject({ outcome: 'invalid', status: { phase: 'Failed' } });
    expect(stop.status.conditions).toEqual([ready({ reason: 'InvalidSpec', message: expect.stringContaining('sandbox') })]);
  });

  it("fails sandbox: none and privileged Spaces unless the organization's policy allows them", () => {
    const unsandboxed = settled(decideSpace({ key, space: space({ sandbox: 'none' }), organization: org, tenant }));
    const sandboxHint = expect.stringContaining('policy.allowUnsandboxed');
    expect(unsandboxed.status.conditions).toEqual([ready({ reason: 'PolicyViolation', message: sandboxHint })]);
    const privileged = settled(decideSpace({ key, space: space({ podSecurity: 'privileged' }), organization: org, tenant }));
    const privilegedHint = expect.stringContaining('policy.allowPrivileged');
    expect(privileged.status.conditions).toEqual([ready({ reason: 'PolicyViolation', message: privilegedHint })]);
    expect(privileged.outcome).toBe('invalid');

    const permissive = organizationFixture('acme', { policy: { allowUnsandboxed: true, allowPrivileged: true } });
    const allowed = decideSpace({ key, space: space({ sandbox: 'none', podSecurity: 'privileged' }), organization: permissive, tenant });
    expect(allowed.kind).toBe('proceed');
  });
});

describe('decideTenant and decideOrganization', () => {
  const tenantKey = { organization: 'acme', name: 'ci' };

  it('fail or wait on a missing or departing organization, and on an invalid spec', () => {
    const tenant = tenantFixture('acme', 'ci');
    expect(settled(decideTenant({ key: tenantKey, tenant, organization: undefined })).status.conditions).toEqual([
      ready({ reason: 'ParentNotFound', message: 'organization acme does not exist; create it first' }),
    ]);
    expect(settled(decideTenant({ key: tenantKey, tenant, organization: deleting(organizationFixture('acme')) }))).toMatchObject({
      outcome: 'waiting',
      status: { phase: 'Pending', conditions: [ready({ reason: 'ParentNotReady' })] },
    });
    const badTenant = { ...tenant, spec: { ...tenant.spec, resources: { cpu: 'lots' } } };
    expect(settled(decideTenant({ key: tenantKey, tenant: badTenant, organization: organizationFixture('acme') }))).toMatchObject({
      outcome: 'invalid',
      status: { phase: 'Failed', conditions: [ready({ reason: 'InvalidSpec', message: expect.stringContaining('tenant acme/ci') })] },
    });
    expect(decideTenant({ key: tenantKey, tenant, organization: organizationFixture('acme') }).kind).toBe('proceed');

    const badOrg = { ...organizationFixture('acme'), spec: { ...organizationFixture('acme').spec, members: 'everyone' } } as never;
    const refusedOrg = settled(decideOrganization({ name: 'acme', organization: badOrg }));
    expect(refusedOrg).toMatchObject({ outcome: 'invalid', status: { phase: 'Failed', conditions: [ready({ reason: 'InvalidSpec' })] } });
    expect(decideOrganization({ name: 'acme', organization: organizationFixture('acme') }).kind).toBe('proceed');
  });

  it('derive usage and Overcommitted from the copy being written', () => {
    const org = organizationFixture('acme', { resources: { cpu: 2 } });
    const status = organizationReady('acme', org.spec, []);
    const stored = { ...org, status: { allocations: { ci: { 'requests.cpu': '3' } } } };
    const written = decideStatus(stored, status);
    expect(written.usage).toMatchObject({ hard: { 'requests.cpu': '2' }, allocated: { 'requests.cpu': '3' } });
    expect(written.conditions).toContainEqual(expect.objectContaining({ type: 'Overcommitted', status: 'True' }));

    const quota = { type: 'QuotaExceeded', status: 'False', reason: 'WithinBudget', message: 'fits' } as const;
    const tenant = { ...tenantFixture('acme', 'ci'), status: { allocations: { run: { 'requests.cpu': '1' } } } };
    const tenantStatus = decideStatus(tenant, tenantReady('acme--ci', { granted: { 'requests.cpu': '2' }, quota }, [], 'r-7'));
    const usage = { hard: { 'requests.cpu': '2' }, allocated: { 'requests.cpu': '1' } };
    // The grant it writes puts the recorded change in force.
    expect(tenantStatus).toMatchObject({ phase: 'Ready', namespace: 'acme--ci', usage, appliedAllocationId: 'r-7' });
    expect(tenantStatus.conditions).toContainEqual(expect.objectContaining({ type: 'Overcommitted', status: 'False' }));
  });
});

describe('decideGrant', () => {
  const words = { child: 'Space', parent: 'tenant' };
  const refusal = new QuotaExceededError({
    resource: 'requests.cpu',
    parent: 'tenant/acme/ci',
    requested: '4',
    budget: '2',
    free: '1',
    holders: [],
    message: 'requests.cpu: 4 asked, 1 free',
  });
  const decided = (granted: Record<string, string> | undefined, refused?: QuotaExceededError): AllocationResult => ({
    kind: 'decided',
    decision: { granted, refusal: refused },
  });

  it('waits while the parent cannot decide', () => {
    const stop = settled(decideGrant(words, { kind: 'unavailable', message: 'tenant acme/ci is not provisioned yet' }));
    expect(stop).toMatchObject({ outcome: 'waiting', status: { phase: 'Pending' } });
    expect(stop.status.conditions).toEqual([ready({ reason: 'ParentNotReady', message: 'tenant acme/ci is not provisioned yet' })]);
  });

  it('refuses a child with no allocation that does not fit, with QuotaExceeded True', () => {
    const stop = settled(decideGrant(words, decided(undefined, refusal)));
    expect(stop).toMatchObject({ outcome: 'refused', status: { phase: 'Failed' } });
    expect(stop.status.conditions).toEqual([
      ready({ reason: 'QuotaExceeded', message: refusal.message }),
      expect.objectContaining({ type: 'QuotaExceeded', status: 'True', message: refusal.message }),
    ]);
  });

  it('keeps the current allocation of a refused resize, with QuotaExceeded True saying so', () => {
    const grant = decideGrant(words, decided({ 'requests.cpu': '1' }, refusal));
    expect(grant).toMatchObject({ kind: 'proceed', granted: { 'requests.cpu': '1' } });
    if (grant.kind !== 'proceed') return;
    expect(grant.quota).toMatchObject({ type: 'QuotaExceeded', status: 'True', reason: 'QuotaExceeded' });
    expect(grant.quota.message).toBe(`the resize was refused and the Space keeps its current allocation: ${refusal.message}`);
  });

  it('grants what fits, with QuotaExceeded False', () => {
    const grant = decideGrant({ child: 'Tenant', parent: 'organization' }, decided({ 'requests.cpu': '2' }));
    expect(grant).toEqual({
      kind: 'proceed',
      granted: { 'requests.cpu': '2' },
      quota: { type: 'QuotaExceeded', status: 'False', reason: 'WithinBudget', message: "the allocation fits the organization's budget" },
    });
  });
});

describe('decideExpiry', () => {
  const created = Date.parse('2026-11-29T10:00:00Z');
  const metadata = { name: 'run', creationTimestamp: '2026-11-29T10:00:00Z' };
  const space = { ...spaceFixture('acme', 'ci', 'run', { ttl: '1h' }), metadata };

  it('keeps a Space that is not due, and asks to look again when it is', () => {
    const keep = { kind: 'keep', requeueAfterMs: 40 * 60_000, expiresAtIso: '2026-11-29T11:00:00.000Z' };
    expect(decideExpiry(space, created + 20 * 60_000)).toEqual(keep);
    expect(decideExpiry(spaceFixture('acme', 'ci', 'run'), created)).toEqual({ kind: 'keep' });
  });

  it('deletes a Space once it is due, with an event that says when it expired', () => {
    const due = decideExpiry(space, created + 60 * 60_000);
    expect(due).toEqual({
      kind: 'delete',
      event: { type: 'Normal', reason: 'Expired', action: 'Delete', note: 'the Space expired at 2026-11-29T11:00:00.000Z; deleting it' },
    });
  });
});

describe('decideProvisioned', () => {
  const enforced: QuotaObject = {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'spacekit-quota' },
    spec: { hard: { 'requests.cpu': '1' } },
    status: { hard: { 'requests.cpu': '1' }, used: { 'requests.cpu': '0' } },
  };
  const { status: _, ...counting }: QuotaObject = enforced;
  const since = '2026-11-29T10:00:00Z';
  const readyCondition = { type: 'Ready', status: 'True', reason: 'Provisioned', message: 'ok', lastTransitionTime: since } as const;
  const space = (opts: { ready?: boolean; generation?: number; observed?: number } = {}): Space => ({
    ...spaceFixture('acme', 'ci', 'run'),
    metadata: { name: 'run', namespace: 'acme--ci', generation: opts.generation ?? 1 },
    status: { observedGeneration: opts.observed ?? 1, ...(opts.ready && { phase: 'Ready', conditions: [readyCondition] }) },
  });
  const within = { type: 'QuotaExceeded', status: 'False', reason: 'WithinBudget', message: 'fits' } as const;
  const observed = (over: Partial<ObservedProvisioning> = {}): ObservedProvisioning => ({
    space: space(),
    namespace: 'acme--ci--run',
    quota: enforced,
    applied: { created: [], updated: [], pruned: [], writes: 0 },
    quotaCondition: within,
    expiry: {},
    ...over,
  });
  const repaired = { created: ['NetworkPolicy/acme--ci--run/spacekit-default-deny'], updated: [], pruned: [], writes: 1 };

  it('is Pending until Kubernetes enforces the quota, and never sends a Space found Ready back', () => {
    const done = decideProvisioned(observed({ quota: counting }));
    expect(done.outcome).toBe('waiting');
    const fields = { namespace: 'acme--ci--run', usage: { hard: { 'requests.cpu': '1' } } };
    expect(done.status).toMatchObject({ phase: 'Pending', fields });
    expect(done.status.conditions).toEqual([ready({ reason: 'QuotaPending' })]);
    expect(done.event).toBeUndefined();
    expect(done.status.overtakenBy?.(space({ ready: true }))).toBe(true);
    expect(done.status.overtakenBy?.(space())).toBe(false);
    expect(decideStatus(space({ ready: true }), done.status).phase).toBe('Ready');
  });

  it('waits for enforcement only for a Space not yet Ready', () => {
    expect(awaitsEnforcement(space(), counting)).toBe(true);
    expect(awaitsEnforcement(space(), enforced)).toBe(false);
    expect(awaitsEnforcement(space({ ready: true }), counting)).toBe(false);
    expect(awaitsEnforcement(space(), undefined)).toBe(false);
  });

  it('is Ready once the quota is enforced, or when the Space was Ready already, with the allocation condition and expiry', () => {
    const expiry = { requeueAfterMs: 60_000, expiresAtIso: '2026-11-29T11:00:00.000Z' };
    const done = decideProvisioned(observed({ expiry }));
    expect(done).toMatchObject({ outcome: 'ready', requeueAfterMs: 60_000 });
    expect(done.status.phase).toBe('Ready');
    const usage = { hard: { 'requests.cpu': '1' }, used: { 'requests.cpu': '0' } };
    expect(done.status.fields).toEqual({ namespace: 'acme--ci--run', usage, expiresAt: expiry.expiresAtIso });
    expect(done.status.conditions).toEqual([expect.objectContaining({ type: 'Ready', status: 'True', reason: 'Provisioned' }), within]);
    expect(decideProvisioned(observed({ space: space({ ready: true }), quota: counting })).outcome).toBe('ready');
    expect(decideProvisioned(observed()).requeueAfterMs).toBeUndefined();
  });

  it('records DriftRepaired only for a Space that was Ready, at the same generation, whose objects had to be written', () => {
    const drift = decideProvisioned(observed({ space: space({ ready: true }), applied: repaired }));
    expect(drift.event).toEqual({
      type: 'Normal',
      reason: 'DriftRepaired',
      action: 'Repair',
      note: 'put back what was changed by hand: NetworkPolicy/acme--ci--run/spacekit-default-deny',
    });
    expect(decideProvisioned(observed({ space: space({ ready: false }), applied: repaired })).event).toBeUndefined();
    const specChanged = space({ ready: true, generation: 2, observed: 1 });
    expect(decideProvisioned(observed({ space: specChanged, applied: repaired })).event).toBeUndefined();
    expect(decideProvisioned(observed({ space: space({ ready: true }) })).event).toBeUndefined();
  });
});
