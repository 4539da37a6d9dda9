import { z } from 'zod';
import { ResourceListSchema } from '../quantity/index.ts';
import { memberSchema, type Resource } from './common.ts';

/** Roles at the tenant level. Admins manage Spaces and are admins of every Space in the tenant. */
export const TENANT_ROLES = ['admin', 'viewer'] as const;

export const TenantMemberSchema = memberSchema(TENANT_ROLES);
export type TenantMember = z.infer<typeof TenantMemberSchema>;

/** A Tenant: a team's share of its organization's budget. Lives in the organization's namespace. */
export const TenantSpecSchema = z.strictObject({
  displayName: z.string().max(256).optional(),
  resources: ResourceListSchema.default({}).meta({
    description: "The tenant's allocation from the organization, which its Spaces share",
  }),
  members: z.array(TenantMemberSchema).default([]),
});
export type TenantSpec = z.infer<typeof TenantSpecSchema>;
export type TenantSpecInput = z.input<typeof TenantSpecSchema>;

export type Tenant = Resource<'Tenant', TenantSpec>;
