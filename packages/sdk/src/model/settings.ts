import { z } from 'zod';

/** Cluster-wide settings that shape what install() and render() produce. */
export const ClusterSettingsSchema = z.strictObject({
  runtimeClass: z
    .strictObject({
      name: z.string().default('gvisor'),
      handler: z.string().default('runsc'),
      overhead: z.record(z.string(), z.string()).optional(),
      nodeSelector: z.record(z.string(), z.string()).optional(),
      tolerations: z.array(z.record(z.string(), z.unknown())).optional(),
    })
    .default({ name: 'gvisor', handler: 'runsc' }),
  /** The namespace of the ingress controller, whose pods may reach every Space. */
  ingressNamespace: z.string().default('ingress-nginx'),
  /** Addresses no pod may reach: the cloud metadata service. */
  blockedEgress: z.array(z.string()).default(['169.254.169.254/32']),
  /**
   * Identities allowed to change the objects Spacekit manages inside a
   * namespace (quota, limit range, its network policies and role bindings).
   */
  managers: z
    .strictObject({
      users: z.array(z.string()).default([]),
      groups: z.array(z.string()).default(['system:masters']),
      serviceAccounts: z.array(z.string()).default(['spacekit-system:spacekit-operator']),
    })
    .default({ users: [], groups: ['system:masters'], serviceAccounts: ['spacekit-system:spacekit-operator'] }),
});
export type ClusterSettings = z.infer<typeof ClusterSettingsSchema>;
export type ClusterSettingsInput = z.input<typeof ClusterSettingsSchema>;

/** The settings when none are given. */
export const DEFAULT_SETTINGS: ClusterSettings = ClusterSettingsSchema.parse({});
