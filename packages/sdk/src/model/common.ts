import { z } from 'zod';
import { ResourceListSchema } from '../quantity/index.ts';

/** The API group and version of Spacekit's custom resources. */
export const API_GROUP = 'spacekit.dev';
export const API_VERSION = 'v1alpha1';
export const GROUP_VERSION = `${API_GROUP}/${API_VERSION}`;

/** Labels Spacekit puts on everything it makes, so it can find and prune it. */
export const LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  organization: 'spacekit.dev/organization',
  tenant: 'spacekit.dev/tenant',
  space: 'spacekit.dev/space',
  level: 'spacekit.dev/level',
  sandbox: 'spacekit.dev/sandbox',
} as const;

/** Value of `app.kubernetes.io/managed-by` on objects Spacekit owns. */
export const MANAGER = 'spacekit';

/** A Kubernetes RBAC subject: who a member is. */
export const SubjectSchema = z
  .strictObject({
    kind: z.enum(['User', 'Group', 'ServiceAccount']).meta({ description: 'User, Group or ServiceAccount' }),
    name: z.string().min(1, 'a member needs a name').meta({ description: 'User or group name, or ServiceAccount name' }),
    namespace: z.string().min(1).optional().meta({ description: "The ServiceAccount's namespace; only for kind ServiceAccount" }),
  })
  .superRefine((s, ctx) => {
    if (s.kind === 'ServiceAccount' && !s.namespace) {
      ctx.addIssue({ code: 'custom', path: ['namespace'], message: 'a ServiceAccount member needs its namespace' });
    }
    if (s.kind !== 'ServiceAccount' && s.namespace) {
      ctx.addIssue({ code: 'custom', path: ['namespace'], message: `namespace applies only to ServiceAccount members, not ${s.kind}` });
    }
  });
export type Subject = z.infer<typeof SubjectSchema>;

/** A member of some level with one of that level's roles. */
export function memberSchema<const R extends readonly [string, ...string[]]>(roles: R) {
  return z
    .strictObject({
      kind: SubjectSchema.shape.kind,
      name: SubjectSchema.shape.name,
      namespace: SubjectSchema.shape.namespace,
      role: z.enum(roles).meta({ description: `One of: ${roles.join(', ')}` }),
    })
    .superRefine((m, ctx) => {
      const subject = SubjectSchema.safeParse({ kind: m.kind, name: m.name, namespace: m.namespace });
      if (!subject.success) for (const issue of subject.error.issues) ctx.addIssue({ ...issue, code: 'custom', message: issue.message });
    });
}

/** A status condition, following the Kubernetes API conventions. */
export const ConditionSchema = z.strictObject({
  type: z.string(),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z.string(),
  message: z.string(),
  observedGeneration: z.number().int().optional(),
  lastTransitionTime: z.string(),
});
export type Condition = z.infer<typeof ConditionSchema>;

/** Hard limits, usage and (for parents) what children hold, per resource. */
export const UsageSchema = z.strictObject({
  hard: ResourceListSchema.optional().meta({ description: 'The budget or quota, per resource' }),
  used: ResourceListSchema.optional().meta({ description: 'Requested by running workloads, from ResourceQuota status' }),
  allocated: ResourceListSchema.optional().meta({ description: 'Held by children (parents only)' }),
});
export type Usage = z.infer<typeof UsageSchema>;

/** Condition types Spacekit sets. `Ready` on every level; the others where they apply. */
export const CONDITION_TYPES = {
  ready: 'Ready',
  /** The spec asks for more than the parent's budget has free; the last granted allocation stays in force. */
  quotaExceeded: 'QuotaExceeded',
  /** Parents only: the children hold more than the budget, after the budget was cut below them. */
  overcommitted: 'Overcommitted',
} as const;

/** Why a condition is as it is: the `reason` values Spacekit writes. */
export const CONDITION_REASONS = {
  provisioned: 'Provisioned',
  quotaExceeded: 'QuotaExceeded',
  withinBudget: 'WithinBudget',
  invalidSpec: 'InvalidSpec',
  policyViolation: 'PolicyViolation',
  parentNotFound: 'ParentNotFound',
  parentNotReady: 'ParentNotReady',
  provisioningFailed: 'ProvisioningFailed',
  /** Provisioned, but Kubernetes has not yet counted the namespace against its quota, so it would refuse pods. */
  quotaPending: 'QuotaPending',
  overcommitted: 'ChildrenExceedBudget',
} as const;

/**
 * A child's change in flight, held in its parent's status until it is settled (ADR 0015). While it is
 * there the parent's `usage.allocated` already counts `grow` and still counts `shrink`; settling it
 * takes `shrink` off once the change is in force in the child (its `status.appliedAllocationId` is `id`),
 * or `grow` off when the child never recorded it. A `release` has already taken the child's allocation off and is removed once
 * the child is gone.
 */
export const ReservationSchema = z.strictObject({
  id: z.string().meta({ description: 'Unique per reservation; the child records it when the change takes effect' }),
  kind: z.enum(['change', 'release']),
  since: z.string().meta({ description: 'When it was made (RFC 3339), for people; the operator times leases by its own clock' }),
  leaseSeconds: z.number().int().meta({ description: 'The maker records the change within this time or not at all' }),
  uid: z
    .string()
    .optional()
    .meta({ description: 'A release: the uid of the child released, so that one made since under its name is told apart' }),
  basis: ResourceListSchema.optional().meta({ description: "The child's allocation the change starts from" }),
  target: ResourceListSchema.optional().meta({ description: "The child's allocation once the change takes effect" }),
  grow: ResourceListSchema.optional().meta({ description: 'Added to usage.allocated when reserved' }),
  shrink: ResourceListSchema.optional().meta({ description: 'Taken off usage.allocated when the change takes effect' }),
});
export type Reservation = z.infer<typeof ReservationSchema>;

/** Where an object is in its life, summarised for people; conditions carry the detail. */
export const PhaseSchema = z.enum(['Pending', 'Ready', 'Failed', 'Terminating']);
export type Phase = z.infer<typeof PhaseSchema>;

/** Status shared by all three kinds. */
export const StatusSchema = z.strictObject({
  observedGeneration: z.number().int().optional(),
  namespace: z.string().optional().meta({ description: 'The namespace this object keeps' }),
  phase: PhaseSchema.optional(),
  conditions: z.array(ConditionSchema).optional(),
  usage: UsageSchema.optional(),
  allocation: ResourceListSchema.optional().meta({
    description: "Children only: this object's share of its parent's budget, recorded under the parent's reservation allocationId",
  }),
  allocationId: z.string().optional().meta({ description: 'Children only: the parent reservation that set allocation' }),
  appliedAllocationId: z.string().optional().meta({
    description:
      'Children only: the reservation whose allocation is in force, in the Space quota or the Tenant grant; a shrink is given back to the parent only once it is',
  }),
  reservations: z.record(z.string(), ReservationSchema).optional().meta({
    description: 'Parents only: changes of children in flight, by child name; bounded by the changes in flight, not the children',
  }),
  allocations: z
    .record(z.string(), ResourceListSchema)
    .optional()
    .meta({ description: 'Before ADR 0015: every child allocation, kept in the parent; moved into the children and removed on upgrade' }),
  expiresAt: z.string().optional().meta({ description: 'Spaces with a ttl or expiresAt: when Spacekit deletes it' }),
});
export type Status = z.infer<typeof StatusSchema>;

/** Metadata the SDK reads back from the cluster. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
}

/** A Spacekit custom resource as stored in the cluster. */
export interface Resource<K extends string, S> {
  apiVersion: typeof GROUP_VERSION;
  kind: K;
  metadata: ObjectMeta;
  spec: S;
  status?: Status;
}
