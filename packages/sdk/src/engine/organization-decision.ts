import { CONDITION_REASONS as R, type Organization, type OrganizationSpec, OrganizationSpecSchema, type Tenant } from '../model/index.ts';
import { invalid, issuesOf } from './checks.ts';
import { type Decision, provisioned, settleWith } from './decision.ts';
import { canonicalResources } from './allocation.ts';
import { overcommitCondition, parentUsage } from './rollup.ts';
import type { StatusDecision } from './status.ts';

/** What an Organization reconcile read before it decides whether the Organization may be provisioned. */
export interface ObservedOrganization {
  name: string;
  organization: Organization;
}

/** Whether an Organization may be provisioned: its spec must parse. */
export function decideOrganization(observed: ObservedOrganization): Decision<{ spec: OrganizationSpec }> {
  const parsed = OrganizationSpecSchema.safeParse(observed.organization.spec);
  if (parsed.success) return { kind: 'proceed', spec: parsed.data };
  const refused = invalid(`organization ${observed.name}`, R.invalidSpec, issuesOf(parsed.error));
  return settleWith(refused.decision, refused.outcome);
}

/**
 * A provisioned Organization's status: its budget is its spec, and its usage
 * and Overcommitted condition are derived from the copy being written.
 */
export function organizationReady(namespace: string, spec: OrganizationSpec, tenants: readonly Tenant[]): StatusDecision {
  const hard = canonicalResources(spec.resources, 'spec.resources');
  return {
    phase: 'Ready',
    conditions: [provisioned(namespace)],
    fields: { namespace },
    derive: (fresh) => {
      const usage = parentUsage(fresh as Organization, hard, tenants);
      return { fields: { usage }, conditions: [overcommitCondition(fresh as Organization, usage, 'tenant')] };
    },
  };
}
