import { z } from 'zod';
import {
  OrganizationSpecSchema,
  type OrganizationSpecInput,
  SpaceSpecSchema,
  type SpaceSpecInput,
  TenantSpecSchema,
  type TenantSpecInput,
} from '../model/index.ts';

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

/**
 * Changes to a spec; fields left out keep their value. Validated merged with
 * the current spec, not on their own: a partial schema would fill defaults
 * into the fields left out and so reset them.
 */
export type UpdateOrganizationInput = Partial<OrganizationSpecInput>;
export type UpdateTenantInput = Partial<TenantSpecInput>;
export type UpdateSpaceInput = Partial<SpaceSpecInput>;

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
