import { z } from 'zod';
import { OrganizationSpecSchema, SpaceSpecSchema, TenantSpecSchema } from '../model/index.ts';

const name = z.string().meta({ description: 'DNS label: lowercase letters, digits and single hyphens' });

/** What `organizations.create` takes: a name plus the Organization spec. */
export const CreateOrganizationInputSchema = OrganizationSpecSchema.extend({ name });
export type CreateOrganizationInput = z.input<typeof CreateOrganizationInputSchema>;

/** What `tenants.create` takes. */
export const CreateTenantInputSchema = TenantSpecSchema.extend({ organization: name, name });
export type CreateTenantInput = z.input<typeof CreateTenantInputSchema>;

/** What `spaces.create` takes. */
export const CreateSpaceInputSchema = SpaceSpecSchema.extend({ organization: name, tenant: name, name });
export type CreateSpaceInput = z.input<typeof CreateSpaceInputSchema>;

/** Changes to a spec; fields left out keep their value. */
export const UpdateOrganizationInputSchema = OrganizationSpecSchema.partial();
export type UpdateOrganizationInput = z.input<typeof UpdateOrganizationInputSchema>;
export const UpdateTenantInputSchema = TenantSpecSchema.partial();
export type UpdateTenantInput = z.input<typeof UpdateTenantInputSchema>;
export const UpdateSpaceInputSchema = SpaceSpecSchema.partial();
export type UpdateSpaceInput = z.input<typeof UpdateSpaceInputSchema>;

/** Addresses a Tenant. */
export interface TenantRef {
  organization: string;
  name: string;
}

/** Addresses a Space. */
export interface SpaceRef {
  organization: string;
  tenant: string;
  name: string;
}
