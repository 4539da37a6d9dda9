import type { ApplyResult } from '../apply/index.ts';
import {
  CONDITION_REASONS as R,
  CONDITION_TYPES as C,
  type Organization,
  type Space,
  type SpaceSpec,
  SpaceSpecSchema,
  type Tenant,
} from '../model/index.ts';
import type { KubeObject } from '../render/index.ts';
import { invalid, issuesOf, notReady } from './checks.ts';
import type { ConditionUpdate } from './conditions.ts';
import { type Decision, parentGoing, parentMissing, provisioned, settleWith } from './decision.ts';
import type { SpacekitEvent } from './events.ts';
import { expiryOf } from './expiry.ts';
import { sameResources } from './allocation.ts';
import type { Outcome } from './outcome.ts';
import { conditionOf, type StatusDecision } from './status.ts';

/** A Space's ResourceQuota with the parts reconcile reads. */
export type QuotaObject = KubeObject & {
  spec?: { hard?: Record<string, string> };
  status?: { hard?: Record<string, string>; used?: Record<string, string> };
};

/** Whether the quota controller has processed the quota as it now stands, so that admission enforces it. */
export function quotaEnforced(quota: QuotaObject | undefined): boolean {
  return Boolean(quota?.spec?.hard && quota.status?.hard && quota.status.used && sameResources(quota.spec.hard, quota.status.hard));
}

/** Why an organization's policy refuses a spec, as validation issues; empty when it allows it. */
export function policyIssues(org: Organization, spec: Pick<SpaceSpec, 'sandbox' | 'podSecurity'>): { path: string; message: string }[] {
  const issues = [];
  if (spec.sandbox === 'none' && !org.spec.policy.allowUnsandboxed) {
    issues.push({
      path: 'sandbox',
      message:
        `organization ${org.metadata.name} requires the gVisor sandbox; ` +
        'an organization admin can allow sandbox: none with policy.allowUnsandboxed',
    });
  }
  if (spec.podSecurity === 'privileged' && !org.spec.policy.allowPrivileged) {
    issues.push({
      path: 'podSecurity',
      message:
        `organization ${org.metadata.name} does not allow privileged Spaces; ` +
        'use restricted or baseline, or ask an organization admin to set policy.allowPrivileged',
    });
  }
  return issues;
}

/** What a Space's expiry asks for: deleting it now, or (when it has one) looking again when it is due. */
export type ExpiryDecision = { kind: 'delete'; event: SpacekitEvent } | { kind: 'keep'; requeueAfterMs?: number; expiresAtIso?: string };

/** Whether a Space has expired at `now`, from its `ttl` and `expiresAt`. */
export function decideExpiry(space: Pick<Space, 'spec' | 'metadata'>, now: number): ExpiryDecision {
  const expiresAt = expiryOf(space);
  if (expiresAt === undefined) return { kind: 'keep' };
  const iso = new Date(expiresAt).toISOString();
  if (now < expiresAt) return { kind: 'keep', requeueAfterMs: expiresAt - now, expiresAtIso: iso };
  const note = `the Space expired at ${iso}; deleting it`;
  return { kind: 'delete', event: { type: 'Normal', reason: 'Expired', action: 'Delete', note } };
}

/** What a Space reconcile read before it decides whether the Space may be provisioned. */
export interface ObservedSpace {
  key: { organization: string; tenant: string; name: string };
  space: Space;
  organization: Organization | undefined;
  tenant: Tenant | undefined;
}

/**
 * Whether a Space may go on to ask its tenant for an allocation: both
 * parents must exist and not be going, its spec must parse, and its
 * organization's policy must allow its sandbox and Pod Security level.
 */
export function decideSpace(observed: ObservedSpace): Decision<{ organization: Organization; tenant: Tenant; spec: SpaceSpec }> {
  const { organization: org, tenant } = observed;
  const { organization: o, tenant: t, name: s } = observed.key;
  if (!org || !tenant) return parentMissing(!org ? `organization ${o}` : `tenant ${o}/${t}`);
  if (org.metadata.deletionTimestamp || tenant.metadata.deletionTimestamp) {
    return parentGoing(org.metadata.deletionTimestamp ? `organization ${o}` : `tenant ${o}/${t}`);
  }
  const parsed = SpaceSpecSchema.safeParse(observed.space.spec);
  const issues = parsed.success ? policyIssues(org, parsed.data) : issuesOf(parsed.error);
  if (!parsed.success || issues.length > 0) {
    const refused = invalid(`space ${o}/${t}/${s}`, parsed.success ? R.policyViolation : R.invalidSpec, issues);
    return settleWith(refused.decision, refused.outcome);
  }
  return { kind: 'proceed', organization: org, tenant, spec: parsed.data };
}

/** Whether a Space was Ready when it was read. */
export function wasReady(space: Space): boolean {
  return conditionOf(space, C.ready)?.status === 'True';
}

/** Whether to wait for Kubernetes to enforce a quota before deciding: only for a Space not yet Ready. */
export function awaitsEnforcement(space: Space, quota: QuotaObject | undefined): quota is QuotaObject {
  return !wasReady(space) && quota !== undefined && !quotaEnforced(quota);
}

/** What a Space reconcile knows once its objects are applied. */
export interface ObservedProvisioning {
  /** The Space as read before the apply. */
  space: Space;
  namespace: string;
  /** Its ResourceQuota as the cluster holds it now. */
  quota: QuotaObject | undefined;
  applied: Pick<ApplyResult, 'created' | 'updated' | 'pruned' | 'writes'>;
  /** The QuotaExceeded condition the allocation decided. */
  quotaCondition: ConditionUpdate;
  expiry: { requeueAfterMs?: number; expiresAtIso?: string };
}

/** The status to write after an apply, the drift-repair event to record if any, and when to look again. */
export interface ProvisionedDecision {
  status: StatusDecision;
  outcome: Outcome;
  event?: SpacekitEvent;
  requeueAfterMs?: number;
}

/**
 * Ready once Kubernetes enforces the quota (or the Space was Ready already:
 * enforcement never goes back), Pending before. A Ready Space whose spec did
 * not change but whose objects had to be written was changed by hand, which
 * is worth an event.
 */
export function decideProvisioned(observed: ObservedProvisioning): ProvisionedDecision {
  const { space, namespace, quota, applied, expiry } = observed;
  const ready = wasReady(space);
  const usage = { hard: { ...(quota?.spec?.hard ?? {}) }, ...(quota?.status?.used && { used: { ...quota.status.used } }) };
  // The quota was just applied from the allocation recorded under this id: that change is now in force.
  const appliedAllocationId = space.status?.allocationId;
  if (!ready && !quotaEnforced(quota)) {
    // Until the quota controller has counted the namespace, the API server refuses every pod in it
    // ("status unknown for quota"); Ready must mean a workload can be deployed.
    const message = `waiting for Kubernetes to start enforcing the quota of namespace ${namespace}`;
    const status: StatusDecision = {
      phase: 'Pending',
      conditions: [notReady(R.quotaPending, message)],
      fields: { namespace, usage, appliedAllocationId },
      // Enforcement never goes back: a copy another writer found Ready since this read stays Ready.
      overtakenBy: (stored) => conditionOf(stored, C.ready)?.status === 'True',
    };
    return { status, outcome: 'waiting' };
  }
  const status: StatusDecision = {
    phase: 'Ready',
    conditions: [provisioned(namespace), observed.quotaCondition],
    fields: { namespace, usage, appliedAllocationId, expiresAt: expiry.expiresAtIso },
  };
  const sameGeneration = space.status?.observedGeneration === space.metadata.generation;
  const repaired = [...applied.created, ...applied.updated, ...applied.pruned].join(', ');
  const event: SpacekitEvent | undefined =
    ready && sameGeneration && applied.writes > 0
      ? { type: 'Normal', reason: 'DriftRepaired', action: 'Repair', note: `put back what was changed by hand: ${repaired}` }
      : undefined;
  const requeue = expiry.requeueAfterMs !== undefined && { requeueAfterMs: expiry.requeueAfterMs };
  return { status, outcome: 'ready', ...(event && { event }), ...requeue };
}
