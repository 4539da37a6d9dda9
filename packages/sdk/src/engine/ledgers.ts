import { type Organization, organizationNamespace, type Tenant, tenantNamespace } from '../model/index.ts';
import type { EngineContext } from './context.ts';
import type { ParentRef } from './allocation.ts';

/** The tenant, from whose budget its Spaces are allocated. */
export function tenantLedger(ctx: EngineContext, organization: string, tenant: string): ParentRef<Tenant> {
  return {
    store: ctx.tenants,
    namespace: organization,
    name: tenant,
    label: `tenant ${organization}/${tenant}`,
    childKind: 'space',
    children: ctx.spaces,
    childNamespace: tenantNamespace(organization, tenant),
  };
}

/** The organization, from whose budget its Tenants are allocated. */
export function organizationLedger(ctx: EngineContext, organization: string): ParentRef<Organization> {
  return {
    store: ctx.organizations,
    namespace: undefined,
    name: organization,
    label: `organization ${organization}`,
    childKind: 'tenant',
    children: ctx.tenants,
    childNamespace: organizationNamespace(organization),
  };
}
