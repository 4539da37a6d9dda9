// Plain lists of what some fields accept, without the schemas: the CLI reads them to parse and
// describe its flags, and must not load zod to print its help.

/** Roles in a Space: admin (may also manage members), developer (deploys), viewer (reads). */
export const SPACE_ROLES = ['admin', 'developer', 'viewer'] as const;

/** Pod Security Standards levels. */
export const POD_SECURITY_LEVELS = ['restricted', 'baseline', 'privileged'] as const;

/** Who may reach a Space's pods, besides the Space itself and the ingress controller. */
export const NETWORK_PRESETS = ['isolated', 'tenant', 'organization'] as const;

/** How a Space's pods are sandboxed: gVisor, or not at all (the organization must allow that). */
export const SANDBOX_MODES = ['gvisor', 'none'] as const;

/** One of {@link SANDBOX_MODES}. */
export type SandboxMode = (typeof SANDBOX_MODES)[number];
