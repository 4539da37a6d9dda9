import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { NameError } from '../errors.ts';
import { DEFAULT_SETTINGS } from '../model/index.ts';
import { organizationFixture, spaceFixture, tenantFixture } from './fixtures.ts';
import type { KubeObject } from './objects.ts';
import { renderOrganization, renderSpace, renderTenant } from './render.ts';

const org = organizationFixture('acme', {
  resources: { cpu: '16', memory: '64Gi' },
  members: [
    { kind: 'User', name: 'olga', role: 'admin' },
    { kind: 'Group', name: 'auditors', role: 'viewer' },
  ],
});
const tenant = tenantFixture('acme', 'payments', {
  resources: { cpu: '8', memory: '32Gi' },
  members: [{ kind: 'User', name: 'tina', role: 'admin' }],
});
const space = spaceFixture('acme', 'payments', 'dev', {
  resources: { cpu: '2', memory: '4Gi', pods: '20' },
  members: [
    { kind: 'User', name: 'dev@example.com', role: 'developer' },
    { kind: 'ServiceAccount', name: 'ci', namespace: 'ci-system', role: 'developer' },
    { kind: 'User', name: 'olga', role: 'viewer' },
  ],
});

const find = (objects: KubeObject[], kind: string, name?: string) =>
  objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

describe('renderSpace', () => {
  const objects = renderSpace(org, tenant, space, DEFAULT_SETTINGS);

  it('matches the reviewed YAML', () => {
    expect(objects.map((o) => stringify(o)).join('---\n')).toMatchSnapshot();
  });

  it('is deterministic', () => {
    expect(renderSpace(org, tenant, space, DEFAULT_SETTINGS)).toEqual(objects);
  });

  it("puts every object in the Space namespace, but the members' reader role in the tenant namespace, with the owner labels used for pruning", () => {
    for (const o of objects) {
      const reader = o.metadata.name === 'spacekit-space-reader-dev';
      if (o.kind !== 'Namespace') expect(o.metadata.namespace).toBe(reader ? 'acme--payments' : 'acme--payments--dev');
      expect(o.metadata.labels).toMatchObject({
        'app.kubernetes.io/managed-by': 'spacekit',
        'spacekit.dev/level': 'space',
        'spacekit.dev/organization': 'acme',
        'spacekit.dev/tenant': 'payments',
        'spacekit.dev/space': 'dev',
      });
    }
  });

  it('labels the namespace for Pod Security restricted and the gVisor sandbox by default', () => {
    const labels = find(objects, 'Namespace')!.metadata.labels!;
    expect(labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(labels['spacekit.dev/sandbox']).toBe('gvisor');
    const unsandboxed = renderSpace(
      org,
      tenant,
      spaceFixture('acme', 'payments', 'dev', { sandbox: 'none', podSecurity: 'baseline' }),
      DEFAULT_SETTINGS,
    );
    const plain = find(unsandboxed, 'Namespace')!.metadata.labels!;
    expect(plain['spacekit.dev/sandbox']).toBeUndefined();
    expect(plain['pod-security.kubernetes.io/enforce']).toBe('baseline');
  });

  it('turns the allocation into a canonical quota with NodePorts, LoadBalancers and storage off by default', () => {
    expect(find(objects, 'ResourceQuota')!.spec).toEqual({
      hard: {
        pods: '20',
        'requests.cpu': '2',
        'requests.memory': '4Gi',
        'requests.storage': '0',
        'services.loadbalancers': '0',
        'services.nodeports': '0',
      },
    });
    const opened = renderSpace(
      org,
      tenant,
      spaceFixture('acme', 'payments', 'dev', { resources: { 'services.nodeports': 2, memory: '4096Mi', 'requests.storage': '10Gi' } }),
      DEFAULT_SETTINGS,
    );
    expect((find(opened, 'ResourceQuota')!.spec as { hard: Record<string, string> }).hard).toMatchObject({
      'services.nodeports': '2',
      'requests.memory': '4Gi',
      'requests.storage': '10Gi',
    });
  });

  it('gives containers defaults in the form the apiserver stores', () => {
    const custom = spaceFixture('acme', 'payments', 'dev', {
      containerDefaults: { request: { cpu: 0.25, memory: '131072Ki' }, limit: { cpu: '1', memory: '1Gi' } },
    });
    const limits = (find(renderSpace(org, tenant, custom, DEFAULT_SETTINGS), 'LimitRange')!.spec as { limits: unknown[] }).limits;
    expect(limits).toEqual([{ type: 'Container', defaultRequest: { cpu: '250m', memory: '128Mi' }, default: { cpu: '1', memory: '1Gi' } }]);
  });

  it('denies all traffic, then allows the Space itself, the ingress controller and egress except the metadata address', () => {
    const names = objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata.name);
    expect(names).toEqual([
      'spacekit-default-deny',
      'spacekit-allow-same-space',
      'spacekit-allow-ingress-controller',
      'spacekit-allow-egress',
    ]);
    expect(find(objects, 'NetworkPolicy', 'spacekit-default-deny')!.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(JSON.stringify(find(objects, 'NetworkPolicy', 'spacekit-allow-egress'))).toContain('"except":["169.254.169.254/32"]');
  });

  it('adds peers for the tenant and organization presets and listed Spaces', () => {
    const tenantWide = renderSpace(
      org,
      tenant,
      spaceFixture('acme', 'payments', 'dev', { network: { preset: 'tenant', allowFrom: ['billing/api', 'billing/api'] } }),
      DEFAULT_SETTINGS,
    );
    expect(JSON.stringify(find(tenantWide, 'NetworkPolicy', 'spacekit-allow-tenant')!.spec)).toContain('"spacekit.dev/tenant":"payments"');
    expect(find(tenantWide, 'NetworkPolicy', 'spacekit-allow-listed')!.spec).toMatchObject({
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'acme--billing--api' } } }] }],
    });
    const orgWide = renderSpace(
      org,
      tenant,
      spaceFixture('acme', 'payments', 'dev', { network: { preset: 'organization' } }),
      DEFAULT_SETTINGS,
    );
    expect(find(orgWide, 'NetworkPolicy', 'spacekit-allow-organization')).toBeDefined();
    expect(find(orgWide, 'NetworkPolicy', 'spacekit-allow-tenant')).toBeUndefined();
  });

  it('binds each member once, with the strongest role it holds at any level', () => {
    const bindings = objects.filter((o) => o.kind === 'RoleBinding' && o.metadata.namespace === 'acme--payments--dev') as (KubeObject & {
      roleRef: { name: string };
      subjects: { kind: string; name: string }[];
    })[];
    const bySubject = Object.fromEntries(bindings.map((b) => [`${b.subjects[0]!.kind}:${b.subjects[0]!.name}`, b.roleRef.name]));
    expect(bySubject).toEqual({
      'User:dev@example.com': 'spacekit-developer',
      'ServiceAccount:ci': 'spacekit-developer',
      'User:olga': 'spacekit-space-admin', // organization admin beats Space viewer
      'User:tina': 'spacekit-space-admin',
      'Group:auditors': 'spacekit-viewer',
    });
  });

  it('removes exactly one binding when one member is removed, so pruning is precise', () => {
    const fewer = spaceFixture('acme', 'payments', 'dev', { ...space.spec, members: space.spec.members.filter((m) => m.name !== 'ci') });
    const names = (list: KubeObject[]) =>
      list.filter((o) => o.kind === 'RoleBinding' && o.metadata.namespace === 'acme--payments--dev').map((o) => o.metadata.name);
    const before = names(objects);
    const after = names(renderSpace(org, tenant, fewer, DEFAULT_SETTINGS));
    expect(before.filter((n) => !after.includes(n))).toHaveLength(1);
    expect(after.every((n) => before.includes(n))).toBe(true);
  });

  it('makes the namespace owned by the Organization only when its uid is known', () => {
    expect(find(objects, 'Namespace')!.metadata.ownerReferences).toBeUndefined();
    const owned = organizationFixture('acme', {}, 'uid-123');
    expect(find(renderSpace(owned, tenant, space, DEFAULT_SETTINGS), 'Namespace')!.metadata.ownerReferences).toEqual([
      { apiVersion: 'spacekit.dev/v1alpha1', kind: 'Organization', name: 'acme', uid: 'uid-123', blockOwnerDeletion: true },
    ]);
  });

  it('refuses names whose namespace would exceed 63 characters, saying by how much', () => {
    const long = spaceFixture('acme', 'payments', 'x'.repeat(50));
    expect(() => renderSpace(org, tenant, long, DEFAULT_SETTINGS)).toThrow(NameError);
    expect(() => renderSpace(org, tenant, long, DEFAULT_SETTINGS)).toThrow(
      /would be 66 characters; Kubernetes allows 63. Shorten the space name .* by 3 or more/,
    );
  });
});

describe('renderTenant and renderOrganization', () => {
  it('keep workloads out of the control namespaces and bind admins to manage children', () => {
    const t = renderTenant(org, tenant);
    expect(find(t, 'Namespace')!.metadata.name).toBe('acme--payments');
    expect(find(t, 'ResourceQuota')!.spec).toEqual({ hard: { pods: '0' } });
    const roles = t
      .filter((o) => o.kind === 'RoleBinding' && o.metadata.namespace === 'acme--payments')
      .map((o) => (o as unknown as { roleRef: { name: string } }).roleRef.name)
      .sort();
    expect(roles).toEqual(['spacekit-level-viewer', 'spacekit-tenant-admin', 'spacekit-tenant-admin']);

    const o = renderOrganization(org);
    expect(find(o, 'Namespace')!.metadata.name).toBe('acme');
    expect(find(o, 'Namespace')!.metadata.labels!['spacekit.dev/level']).toBe('organization');
    expect(o.filter((x) => x.kind === 'RoleBinding')).toHaveLength(2);
  });
});

describe('reader roles', () => {
  const objects = renderSpace(org, tenant, space, DEFAULT_SETTINGS);
  type Rule = { resources: string[]; resourceNames: string[]; verbs: string[] };
  type Binding = KubeObject & { roleRef: { kind: string; name: string }; subjects: { kind: string; name: string }[] };

  it("let each level's members read exactly their own object and its status, and nothing else", () => {
    const spaceRole = find(objects, 'Role', 'spacekit-space-reader-dev') as KubeObject & { rules: Rule[] };
    expect(spaceRole.rules).toEqual([
      { apiGroups: ['spacekit.dev'], resources: ['spaces'], resourceNames: ['dev'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['spacekit.dev'], resources: ['spaces/status'], resourceNames: ['dev'], verbs: ['get'] },
    ]);
    const tenantRole = find(renderTenant(org, tenant), 'Role', 'spacekit-tenant-reader-payments') as KubeObject & { rules: Rule[] };
    expect(tenantRole.metadata.namespace).toBe('acme');
    expect(tenantRole.rules.map((r) => [r.resources, r.resourceNames])).toEqual([
      [['tenants'], ['payments']],
      [['tenants/status'], ['payments']],
    ]);
    const orgRole = find(renderOrganization(org), 'ClusterRole', 'spacekit-organization-reader-acme') as KubeObject & { rules: Rule[] };
    expect(orgRole.metadata.namespace).toBeUndefined();
    expect(orgRole.rules[0]).toMatchObject({ resources: ['organizations'], resourceNames: ['acme'] });
  });

  it("bind the level's own members only, once each", () => {
    const binding = find(objects, 'RoleBinding', 'spacekit-space-reader-dev') as Binding;
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'spacekit-space-reader-dev' });
    expect(binding.subjects.map((s) => `${s.kind}:${s.name}`)).toEqual(['ServiceAccount:ci', 'User:dev@example.com', 'User:olga']);
    const tenantBinding = find(renderTenant(org, tenant), 'RoleBinding', 'spacekit-tenant-reader-payments') as Binding;
    expect(tenantBinding.subjects.map((s) => s.name)).toEqual(['tina']);
  });

  it('are left out for a level without members, and owned by the object they read once it has a uid', () => {
    const bare = spaceFixture('acme', 'payments', 'quiet');
    expect(renderSpace(org, tenant, bare, DEFAULT_SETTINGS).filter((o) => o.kind === 'Role')).toEqual([]);
    const stored = { ...space, metadata: { ...space.metadata, uid: 'space-uid' } };
    const role = find(renderSpace(org, tenant, stored, DEFAULT_SETTINGS), 'Role')!;
    expect(role.metadata.ownerReferences).toEqual([{ apiVersion: 'spacekit.dev/v1alpha1', kind: 'Space', name: 'dev', uid: 'space-uid' }]);
  });
});
