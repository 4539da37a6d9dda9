import { z } from 'zod';
import { ResourceListSchema } from '../quantity/index.ts';
import { memberSchema, type Resource } from './common.ts';

/** Roles at the organization level. Admins manage Tenants and are admins of every Space below. */
export const ORGANIZATION_ROLES = ['admin', 'viewer'] as const;

export const OrganizationMemberSchema = memberSchema(ORGANIZATION_ROLES);
export type OrganizationMember = z.infer<typeof OrganizationMemberSchema>;

/** What an Organization's Spaces may ask for. */
export const OrganizationPolicySchema = z.strictObject({
  allowUnsandboxed: z.boolean().default(false).meta({ description: 'Whether Spaces may set sandbox: none and run pods without gVisor' }),
  allowPrivileged: z.boolean().default(false).meta({ description: 'Whether Spaces may set podSecurity: privileged' }),
});

/** An Organization: the top budget, its admins, and what its Spaces may do. Cluster-scoped. */
export const OrganizationSpecSchema = z.strictObject({
  displayName: z.string().max(256).optional(),
  resources: ResourceListSchema.default({}).meta({
    description: 'The budget the Tenants share, in ResourceQuota syntax (cpu and memory mean requests.cpu and requests.memory)',
  }),
  members: z.array(OrganizationMemberSchema).default([]),
  policy: OrganizationPolicySchema.default({ allowUnsandboxed: false, allowPrivileged: false }),
});
export type OrganizationSpec = z.infer<typeof OrganizationSpecSchema>;
export type OrganizationSpecInput = z.input<typeof OrganizationSpecSchema>;

export type Organization = Resource<'Organization', OrganizationSpec>;
