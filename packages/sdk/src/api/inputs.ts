import { z } from 'zod';
import {
  LABELS,
  OrganizationSpecSchema,
  type OrganizationSpecInput,
  SpaceSpecSchema,
  type SpaceSpecInput,
  TenantSpecSchema,
  type TenantSpecInput,
} from '../model/index.ts';

const name = z.string().meta({ description: 'DNS label: lowercase letters, digits and single hyphens' });

/**
 * Labels for the object's metadata, for the caller's own bookkeeping (such as
 * a CI run id). Spacekit's own keys are refused: it sets them itself, and the
 * operator and its shards select on them.
 */
export const UserLabelsSchema = z
  .record(z.string(), z.string().max(63, 'a label value is at most 63 characters'))
  .superRefine((labels, ctx) => {
    for (const key of Object.keys(labels)) {
      if (key.startsWith('spacekit.dev/') || key === LABELS.managedBy) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `label ${key} is set by Spacekit itself; use a key of your own, such as ci.example.com/run`,
        });
      } else if (!/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(key)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `"${key}" is not a valid label key: use [prefix/]name, such as example.com/team or team`,
        });
      }
    }
    for (const [key, value] of Object.entries(labels)) {
      if (value !== '' && !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(value)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `"${value}" is not a valid label value: letters, digits, -, _ and . only, starting and ending with a letter or digit`,
        });
      }
    }
  })
  .optional();

/** What `organizations.create` takes: a name plus the Organization spec. */
export const CreateOrganizationInputSchema = OrganizationSpecSchema.extend({ name, labels: UserLabelsSchema });
export type CreateOrganizationInput = z.input<typeof CreateOrganizationInputSchema>;

/** What `tenants.create` takes. */
export const CreateTenantInputSchema = TenantSpecSchema.extend({ organization: name, name, labels: UserLabelsSchema });
export type CreateTenantInput = z.input<typeof CreateTenantInputSchema>;

/** What `spaces.create` takes. */
export const CreateSpaceInputSchema = SpaceSpecSchema.extend({ organization: name, tenant: name, name, labels: UserLabelsSchema });
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

/** Options for deletes. */
export interface DeleteOptions {
  /** Wait until the namespace is gone (default true). With false, return once deletion has started. */
  wait?: boolean;
  timeoutMs?: number;
}

/** Options for creates and updates. */
export interface ChangeOptions {
  /** How long to wait for the operator, when it is the operator that provisions (default 120 s). */
  timeoutMs?: number;
}
