import { describe, expect, it } from 'vitest';
import {
  AGGREGATE_TO,
  AGGREGATE_TO_SPACE_ROLES,
  CLUSTER_ROLES,
  renderClusterRoles,
  renderCoverageBinding,
  USAGE_ROLES,
} from './cluster-roles.ts';

const roles = renderClusterRoles();
const byName = (name: string) => {
  const role = roles.find((r) => r.metadata?.name === name);
  if (!role) throw new Error(`no ClusterRole ${name}`);
  return role;
};
const verbsFor = (name: string, group: string, resource: string) =>
  byName(name)
    .rules?.filter((r) => r.apiGroups?.includes(group) && r.resources?.includes(resource))
    .flatMap((r) => r.verbs)
    .sort();

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const READ = ['get', 'list', 'watch'];

describe('renderClusterRoles', () => {
  it('renders one ClusterRole per name in CLUSTER_ROLES', () => {
    expect(roles.map((r) => r.metadata?.name).sort()).toEqual([...Object.values(CLUSTER_ROLES), ...Object.values(USAGE_ROLES)].sort());
    for (const role of roles) expect(role).toMatchObject({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' });
  });

  it('lets an organization admin manage tenants and only read their status, spaces and events', () => {
    expect(verbsFor(CLUSTER_ROLES.organizationAdmin, 'spacekit.dev', 'tenants')).toEqual(CRUD);
    expect(verbsFor(CLUSTER_ROLES.organizationAdmin, 'spacekit.dev', 'tenants/status')).toEqual(['get']);
    expect(verbsFor(CLUSTER_ROLES.organizationAdmin, 'spacekit.dev', 'spaces')).toEqual(READ);
    expect(verbsFor(CLUSTER_ROLES.organizationAdmin, '', 'events')).toEqual(READ);
    expect(verbsFor(CLUSTER_ROLES.organizationAdmin, 'events.k8s.io', 'events')).toEqual(READ);
  });

  it('lets a tenant admin manage spaces and not tenants', () => {
    expect(verbsFor(CLUSTER_ROLES.tenantAdmin, 'spacekit.dev', 'spaces')).toEqual(CRUD);
    expect(verbsFor(CLUSTER_ROLES.tenantAdmin, 'spacekit.dev', 'spaces/status')).toEqual(['get']);
    expect(verbsFor(CLUSTER_ROLES.tenantAdmin, 'spacekit.dev', 'tenants')).toEqual([]);
    expect(verbsFor(CLUSTER_ROLES.tenantAdmin, '', 'events')).toEqual(READ);
  });

  it('lets a level viewer read tenants and spaces but change nothing', () => {
    expect(verbsFor(CLUSTER_ROLES.levelViewer, 'spacekit.dev', 'tenants')).toEqual(READ);
    expect(verbsFor(CLUSTER_ROLES.levelViewer, 'spacekit.dev', 'spaces')).toEqual(READ);
    const verbs = byName(CLUSTER_ROLES.levelViewer).rules?.flatMap((r) => r.verbs) ?? [];
    expect(new Set(verbs)).toEqual(new Set(READ));
  });

  it.each([
    [CLUSTER_ROLES.spaceAdmin, [AGGREGATE_TO.admin, AGGREGATE_TO.edit, AGGREGATE_TO.view, AGGREGATE_TO_SPACE_ROLES]],
    [CLUSTER_ROLES.developer, [AGGREGATE_TO.edit, AGGREGATE_TO.view, AGGREGATE_TO_SPACE_ROLES]],
    [CLUSTER_ROLES.viewer, [AGGREGATE_TO.view, AGGREGATE_TO_SPACE_ROLES]],
  ])('aggregates %s from the built-in labels, leaving the rules to the aggregation controller', (name, labels) => {
    const role = byName(name);
    expect(role.rules).toBeUndefined();
    expect(role.aggregationRule?.clusterRoleSelectors).toEqual(labels.map((label) => ({ matchLabels: { [label]: 'true' } })));
  });

  it('never labels its own roles to aggregate into the built-in ones; only the usage reader flows into the Space roles', () => {
    for (const role of roles) {
      for (const key of Object.keys(role.metadata?.labels ?? {})) expect(key).not.toMatch(/^rbac\.authorization\.k8s\.io\/aggregate-to-/);
    }
    expect(roles.filter((r) => r.metadata?.labels?.[AGGREGATE_TO_SPACE_ROLES]).map((r) => [r.metadata?.name, r.rules])).toEqual([
      [USAGE_ROLES.spaceUsageReader, [{ apiGroups: ['spacekit.dev'], resources: ['spaceusages'], verbs: READ }]],
    ]);
    for (const name of [CLUSTER_ROLES.spaceAdmin, CLUSTER_ROLES.developer, CLUSTER_ROLES.viewer]) {
      const selectors = roles.find((r) => r.metadata?.name === name)?.aggregationRule?.clusterRoleSelectors ?? [];
      expect(selectors).toContainEqual({ matchLabels: { [AGGREGATE_TO_SPACE_ROLES]: 'true' } });
    }
  });

  it('lets no one but the operator write metered usage, and every authenticated user read when the meter ran', () => {
    for (const role of roles) {
      for (const rule of role.rules ?? []) {
        if (rule.resources?.some((r) => r === 'spaceusages' || r === 'metercoverages')) expect(rule.verbs).toEqual(READ);
      }
    }
    expect(renderCoverageBinding()).toMatchObject({
      roleRef: { kind: 'ClusterRole', name: USAGE_ROLES.coverageReader },
      subjects: [{ kind: 'Group', name: 'system:authenticated' }],
    });
  });

  it('gives only the three Space roles an aggregation rule', () => {
    expect(roles.filter((r) => r.aggregationRule).map((r) => r.metadata?.name)).toEqual([
      CLUSTER_ROLES.spaceAdmin,
      CLUSTER_ROLES.developer,
      CLUSTER_ROLES.viewer,
    ]);
  });
});
