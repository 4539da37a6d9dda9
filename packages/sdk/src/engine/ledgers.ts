import type { Organization, Tenant } from '../model/index.ts';
import type { EngineContext } from './context.ts';
import type { ParentRef } from './allocation.ts';

// "Ledger" means only the record a parent keeps in status.allocations (child name to its share), so
// that it is never confused with allocation.ts, the arithmetic that reads and writes it.

/** The tenant's ledger, from which its Spaces are allocated. */
export function tenantLedger(ctx: EngineContext, organization: string, tenant: string): ParentRef<Tenant> {
  return { store: ctx.tenants, namespace: organization, name: tenant, label: `tenant ${organization}/${tenant}`, childKind: 'space' };
}

/** The organization's ledger, from which its Tenants are allocated. */
export function organizationLedger(ctx: EngineContext, organization: string): ParentRef<Organization> {
  return { store: ctx.organizations, namespace: undefined, name: organization, label: `organization ${organization}`, childKind: 'tenant' };
}
