import type { Spacekit } from '@spacekit/sdk';
import { remainingBudget } from '../../model/budget.ts';

/** A tenant's remaining budget and its Spaces' names, read fresh when a flow needs them. */
export interface TenantRoom {
  free: Map<string, bigint>;
  spaces: string[];
}

/**
 * What a tenant has left: its effective budget (`kit.tenants.budget`, its
 * spec capped by what the organization granted) minus what its Spaces hold
 * (`status.usage.allocated`), plus `own` for a resize. A tenant admin may
 * read both without any cluster right.
 */
export async function tenantRoom(
  kit: Spacekit,
  tenant: { organization: string; tenant: string },
  own?: Readonly<Record<string, string | number>>,
): Promise<TenantRoom> {
  const ref = { organization: tenant.organization, name: tenant.tenant };
  const [budget, current, spaces] = await Promise.all([
    kit.tenants.budget(ref),
    kit.tenants.get(ref),
    kit.spaces.list({ organization: tenant.organization, tenant: tenant.tenant }),
  ]);
  return { free: remainingBudget(budget, current.status?.usage?.allocated, own), spaces: spaces.map((s) => s.metadata.name) };
}
