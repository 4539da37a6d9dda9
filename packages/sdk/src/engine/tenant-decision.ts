import { CONDITION_REASONS as R, type Organization, type Space, type Tenant, type TenantSpec, TenantSpecSchema } from '../model/index.ts';
import { invalid, issuesOf } from './checks.ts';
import { type Decision, type Grant, parentGoing, parentMissing, provisioned, settleWith } from './decision.ts';
import { overcommitCondition, parentUsage } from './rollup.ts';
import type { StatusDecision } from './status.ts';

/** What a Tenant reconcile read before it decides whether the Tenant may be provisioned. */
export interface ObservedTenant {
  key: { organization: string; name: string };
  tenant: Tenant;
  organization: Organization | undefined;
}

/**
 * Whether a Tenant may go on to ask its organization for an allocation: its
 * organization must exist and not be going, and its spec must parse.
 */
export function decideTenant(observed: ObservedTenant): Decision<{ organization: Organization; spec: TenantSpec }> {
  const { key, tenant, organization } = observed;
  if (!organization) return parentMissing(`organization ${key.organization}`);
  if (organization.metadata.deletionTimestamp) return parentGoing(`organization ${key.organization}`);
  const parsed = TenantSpecSchema.safeParse(tenant.spec);
  if (!parsed.success) {
    const refused = invalid(`tenant ${key.organization}/${key.name}`, R.invalidSpec, issuesOf(parsed.error));
    return settleWith(refused.decision, refused.outcome);
  }
  return { kind: 'proceed', organization, spec: parsed.data };
}

/**
 * A provisioned Tenant's status. Its usage and Overcommitted condition are
 * derived from the copy being written, whose ledger may have moved since it
 * was read.
 */
export function tenantReady(namespace: string, grant: Grant, spaces: readonly Space[], allocationId: string | undefined): StatusDecision {
  const { granted, quota } = grant;
  return {
    phase: 'Ready',
    conditions: [provisioned(namespace), quota],
    // The grant written here is the allocation recorded under `allocationId`: that change is now in force.
    fields: { namespace, appliedAllocationId: allocationId },
    derive: (current) => {
      const usage = parentUsage(current as Tenant, granted, spaces);
      return { fields: { usage }, conditions: [overcommitCondition(current as Tenant, usage, 'space')] };
    },
  };
}
