import { z } from 'zod';
import { ResourceListSchema } from '../quantity/index.ts';
import { memberSchema, type Resource } from './common.ts';
import { NETWORK_PRESETS, POD_SECURITY_LEVELS, SANDBOX_MODES, type SandboxMode, SPACE_ROLES } from './choices.ts';
import { nameProblem } from './names.ts';

export { NETWORK_PRESETS, POD_SECURITY_LEVELS, SANDBOX_MODES, type SandboxMode, SPACE_ROLES };

export const SpaceMemberSchema = memberSchema(SPACE_ROLES);
export type SpaceMember = z.infer<typeof SpaceMemberSchema>;

/** A Space in the same organization, as `tenant/space`. */
export const SpaceRefSchema = z.string().superRefine((ref, ctx) => {
  const [tenant, space, extra] = ref.split('/');
  const problem =
    extra !== undefined || !tenant || !space
      ? `"${ref}" is not a Space reference: write tenant/space, such as "payments/dev"`
      : (nameProblem('tenant', tenant) ?? nameProblem('space', space));
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const NetworkSchema = z.strictObject({
  preset: z.enum(NETWORK_PRESETS).default('isolated').meta({
    description: 'isolated: only this Space; tenant: also Spaces of the same tenant; organization: also Spaces of the same organization',
  }),
  allowFrom: z.array(SpaceRefSchema).default([]).meta({ description: 'More Spaces (tenant/space) whose pods may connect' }),
});

/** Requests and limits given to containers that declare none, so that they still count against the quota. */
export const ContainerDefaultsSchema = z.strictObject({
  request: ResourceListSchema.default({ cpu: '100m', memory: '128Mi' }),
  limit: ResourceListSchema.default({ cpu: '500m', memory: '512Mi' }),
});

/**
 * A duration such as `30m`, `2h`, `1d` or `1h30m` (units s, m, h, d, w). The
 * CRD carries the same pattern, so the API server refuses a malformed TTL
 * written with kubectl too.
 */
export const DURATION_PATTERN = /^([1-9][0-9]*[smhdw])+$/;

/** A Space: one isolated, capped namespace. Lives in its tenant's namespace. */
export const SpaceSpecSchema = z.strictObject({
  displayName: z.string().max(256).optional(),
  resources: ResourceListSchema.default({}).meta({
    description: "The Space's allocation from its tenant; becomes the namespace's ResourceQuota",
  }),
  containerDefaults: ContainerDefaultsSchema.default({
    request: { cpu: '100m', memory: '128Mi' },
    limit: { cpu: '500m', memory: '512Mi' },
  }),
  sandbox: z.enum(SANDBOX_MODES).default('gvisor').meta({ description: 'gvisor: every pod runs under gVisor; none: the node default' }),
  podSecurity: z.enum(POD_SECURITY_LEVELS).default('restricted'),
  network: NetworkSchema.default({ preset: 'isolated', allowFrom: [] }),
  members: z.array(SpaceMemberSchema).default([]),
  ttl: z
    .string()
    .regex(DURATION_PATTERN, 'ttl is a duration such as 30m, 2h, 1d or 1h30m')
    .optional()
    .meta({ description: 'Delete the Space this long after it was created, such as 2h; for test runs and previews' }),
  expiresAt: z.iso
    .datetime({ offset: true, message: 'expiresAt is a time such as 2026-12-01T18:00:00Z' })
    .optional()
    .meta({ description: 'Delete the Space at this time (RFC 3339); with ttl too, the earlier wins' }),
});
export type SpaceSpec = z.infer<typeof SpaceSpecSchema>;
export type SpaceSpecInput = z.input<typeof SpaceSpecSchema>;

export type Space = Resource<'Space', SpaceSpec>;
