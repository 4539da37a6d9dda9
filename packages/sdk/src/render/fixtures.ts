import {
  GROUP_VERSION,
  type Organization,
  OrganizationSpecSchema,
  type OrganizationSpecInput,
  type Space,
  SpaceSpecSchema,
  type SpaceSpecInput,
  type Tenant,
  TenantSpecSchema,
  type TenantSpecInput,
} from '../model/index.ts';

/** An Organization object as the cluster would hold it, for render tests and examples. */
export function organizationFixture(name: string, spec: OrganizationSpecInput = {}, uid?: string): Organization {
  return {
    apiVersion: GROUP_VERSION,
    kind: 'Organization',
    metadata: { name, ...(uid !== undefined && { uid }) },
    spec: OrganizationSpecSchema.parse(spec),
  };
}

export function tenantFixture(organization: string, name: string, spec: TenantSpecInput = {}): Tenant {
  return { apiVersion: GROUP_VERSION, kind: 'Tenant', metadata: { name, namespace: organization }, spec: TenantSpecSchema.parse(spec) };
}

export function spaceFixture(organization: string, tenant: string, name: string, spec: SpaceSpecInput = {}): Space {
  return {
    apiVersion: GROUP_VERSION,
    kind: 'Space',
    metadata: { name, namespace: `${organization}--${tenant}` },
    spec: SpaceSpecSchema.parse(spec),
  };
}
