import type { V1ClusterRole, V1ClusterRoleBinding, V1PolicyRule } from '@kubernetes/client-node';
import { API_GROUP } from '../model/common.ts';
import { INSTALL_LABELS, installMetadata } from './labels.ts';

/** Names of the ClusterRoles Spacekit binds, with RoleBindings, in its namespaces. */
export const CLUSTER_ROLES = {
  /** In an organization's namespace: manage its Tenants. */
  organizationAdmin: 'spacekit-organization-admin',
  /** In a tenant's namespace: manage its Spaces. */
  tenantAdmin: 'spacekit-tenant-admin',
  /** In an organization's or tenant's namespace: read its Tenants and Spaces. */
  levelViewer: 'spacekit-level-viewer',
  /** In a Space's namespace: the built-in `admin` role. */
  spaceAdmin: 'spacekit-space-admin',
  /** In a Space's namespace: the built-in `edit` role. */
  developer: 'spacekit-developer',
  /** In a Space's namespace: the built-in `view` role. */
  viewer: 'spacekit-viewer',
} as const;

/** The ClusterRoles that let people read metered usage (ADR 0017); no one binds them by hand. */
export const USAGE_ROLES = {
  /** Aggregated into the three Space roles (not the built-in ones): read SpaceUsage in a Space one is a member of. */
  spaceUsageReader: 'spacekit-usage-reader',
  /** Bound to every authenticated user: when the meter ran, which tells a gap from zero usage. */
  coverageReader: 'spacekit-meter-coverage-reader',
} as const;

/** The label the three Space roles aggregate from besides the built-in roles' labels: Spacekit's own read rights. */
export const AGGREGATE_TO_SPACE_ROLES = 'spacekit.dev/aggregate-to-space-roles';

/** The label the built-in `admin`, `edit` and `view` roles aggregate from, per role. */
export const AGGREGATE_TO = {
  admin: 'rbac.authorization.k8s.io/aggregate-to-admin',
  edit: 'rbac.authorization.k8s.io/aggregate-to-edit',
  view: 'rbac.authorization.k8s.io/aggregate-to-view',
} as const;

const READ = ['get', 'list', 'watch'] as const;
const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'] as const;

function rule(apiGroup: string, resources: readonly string[], verbs: readonly string[]): V1PolicyRule {
  return { apiGroups: [apiGroup], resources: [...resources], verbs: [...verbs] };
}

function readEvents(): V1PolicyRule[] {
  // Both groups serve the same events; kubectl and client libraries use either.
  return [rule('', ['events'], READ), rule('events.k8s.io', ['events'], READ)];
}

function role(name: string, rules: V1PolicyRule[]): V1ClusterRole {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: installMetadata(name), rules };
}

function aggregated(name: string, labels: readonly string[]): V1ClusterRole {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: installMetadata(name),
    aggregationRule: { clusterRoleSelectors: labels.map((label) => ({ matchLabels: { [label]: 'true' } })) },
    // No rules at all: the aggregation controller owns them, and a server-side apply of `rules: []`
    // would take them back from it on every install.
  };
}

/**
 * The ClusterRoles that RoleBindings in Spacekit's namespaces refer to.
 *
 * The organization and tenant roles grant Spacekit's own resources, and only
 * in the namespace where they are bound: `spacekit-organization-admin` bound in
 * `acme` manages the Tenants in `acme`; its read access to `spaces` counts only
 * where it is also bound in a tenant namespace.
 *
 * The three Space roles aggregate from the same labels as the built-in
 * `admin`, `edit` and `view` roles rather than copy their rules, so they stay
 * equal to them: a CRD installed later whose roles carry
 * `rbac.authorization.k8s.io/aggregate-to-*` flows into the Space roles with no
 * change to Spacekit. Building on the built-in roles is also what keeps a
 * Space's quota in place: none of them grants writes to ResourceQuota or
 * LimitRange, so even a Space admin cannot raise their own limits. (They do
 * grant writes to NetworkPolicies and RoleBindings; the
 * `spacekit-protect-managed` admission policy guards the ones Spacekit made.)
 */
export function renderClusterRoles(): V1ClusterRole[] {
  return [
    role(CLUSTER_ROLES.organizationAdmin, [
      rule(API_GROUP, ['tenants'], [...READ, ...WRITE]),
      // Status is written by the operator alone; admins read it.
      rule(API_GROUP, ['tenants/status'], ['get']),
      rule(API_GROUP, ['spaces'], READ),
      // The usage of the organization's deleted Tenants, kept in its namespace.
      rule(API_GROUP, ['spaceusages'], READ),
      ...readEvents(),
    ]),
    role(CLUSTER_ROLES.tenantAdmin, [
      rule(API_GROUP, ['spaces'], [...READ, ...WRITE]),
      rule(API_GROUP, ['spaces/status'], ['get']),
      // The usage of the tenant's deleted Spaces, kept in its namespace.
      rule(API_GROUP, ['spaceusages'], READ),
      ...readEvents(),
    ]),
    role(CLUSTER_ROLES.levelViewer, [
      rule(API_GROUP, ['tenants', 'spaces'], READ),
      rule(API_GROUP, ['tenants/status', 'spaces/status'], ['get']),
      rule(API_GROUP, ['spaceusages'], READ),
      ...readEvents(),
    ]),
    // Read only: not even a Space admin may write what the meter measured. Into Spacekit's Space roles alone,
    // not `view`, so that nobody outside Spacekit's bindings gains anything.
    {
      ...role(USAGE_ROLES.spaceUsageReader, [rule(API_GROUP, ['spaceusages'], READ)]),
      metadata: { name: USAGE_ROLES.spaceUsageReader, labels: { ...INSTALL_LABELS, [AGGREGATE_TO_SPACE_ROLES]: 'true' } },
    },
    role(USAGE_ROLES.coverageReader, [rule(API_GROUP, ['metercoverages'], READ)]),
    aggregated(CLUSTER_ROLES.spaceAdmin, [AGGREGATE_TO.admin, AGGREGATE_TO.edit, AGGREGATE_TO.view, AGGREGATE_TO_SPACE_ROLES]),
    aggregated(CLUSTER_ROLES.developer, [AGGREGATE_TO.edit, AGGREGATE_TO.view, AGGREGATE_TO_SPACE_ROLES]),
    aggregated(CLUSTER_ROLES.viewer, [AGGREGATE_TO.view, AGGREGATE_TO_SPACE_ROLES]),
  ];
}

/**
 * Binds {@link USAGE_ROLES.coverageReader} to every authenticated user: the
 * meter's coverage says only when it measured, and every report needs it to
 * tell time nobody measured from zero usage.
 */
export function renderCoverageBinding(): V1ClusterRoleBinding {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: installMetadata(USAGE_ROLES.coverageReader),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: USAGE_ROLES.coverageReader },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:authenticated' }],
  };
}
