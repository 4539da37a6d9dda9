import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { ClusterSettingsSchema, DEFAULT_SETTINGS } from '../model/settings.ts';
import {
  PROTECT_MANAGED_EXPRESSION,
  PROTECT_MANAGED_MESSAGE_EXPRESSION,
  PROTECT_NAMESPACES_EXPRESSION,
  PROTECT_NAMESPACES_MESSAGE_EXPRESSION,
  PROTECT_POLICIES,
  managerExpression,
  renderProtectionPolicies,
  serviceAccountUsername,
} from './protect.ts';

const managedBySpacekit = { objectSelector: { matchLabels: { 'app.kubernetes.io/managed-by': 'spacekit' } } };

describe('renderProtectionPolicies', () => {
  const [managed, managedBinding, namespaces, namespacesBinding] = renderProtectionPolicies(DEFAULT_SETTINGS);

  it('binds each policy, by name, to objects labelled managed-by spacekit, denying on failure', () => {
    expect(managed).toMatchObject({
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: PROTECT_POLICIES.managed },
      spec: { failurePolicy: 'Fail' },
    });
    expect(namespaces).toMatchObject({
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: PROTECT_POLICIES.namespaces },
      spec: { failurePolicy: 'Fail' },
    });
    expect(managedBinding).toMatchObject({ kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: PROTECT_POLICIES.managed } });
    expect(namespacesBinding).toMatchObject({ kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: PROTECT_POLICIES.namespaces } });
    expect(managedBinding.spec).toEqual({
      policyName: PROTECT_POLICIES.managed,
      validationActions: ['Deny'],
      matchResources: managedBySpacekit,
    });
    expect(namespacesBinding.spec).toEqual({
      policyName: PROTECT_POLICIES.namespaces,
      validationActions: ['Deny'],
      matchResources: managedBySpacekit,
    });
  });

  it('guards quotas, limit ranges, network policies and role bindings on CREATE, UPDATE and DELETE', () => {
    const ops = ['CREATE', 'UPDATE', 'DELETE'];
    expect(managed.spec?.matchConstraints?.resourceRules).toEqual([
      { apiGroups: [''], apiVersions: ['v1'], operations: ops, resources: ['resourcequotas', 'limitranges'] },
      { apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], operations: ops, resources: ['networkpolicies'] },
      { apiGroups: ['rbac.authorization.k8s.io'], apiVersions: ['v1'], operations: ops, resources: ['roles', 'rolebindings'] },
    ]);
  });

  it('guards namespaces on UPDATE and DELETE, and no subresources', () => {
    expect(namespaces.spec?.matchConstraints?.resourceRules).toEqual([
      { apiGroups: [''], apiVersions: ['v1'], operations: ['UPDATE', 'DELETE'], resources: ['namespaces'] },
    ]);
    const resources = [managed, namespaces].flatMap((p) => p.spec?.matchConstraints?.resourceRules?.flatMap((r) => r.resources) ?? []);
    expect(resources.filter((r) => r?.includes('/'))).toEqual([]);
  });

  it('lets managers through, and anyone once the namespace is being deleted', () => {
    const isManager = managerExpression(DEFAULT_SETTINGS.managers);
    for (const policy of [managed, namespaces]) expect(policy.spec?.variables).toEqual([{ name: 'isManager', expression: isManager }]);
    expect(managed.spec?.validations?.map((v) => v.expression)).toEqual([PROTECT_MANAGED_EXPRESSION]);
    expect(namespaces.spec?.validations?.map((v) => v.expression)).toEqual([PROTECT_NAMESPACES_EXPRESSION]);
    expect(PROTECT_MANAGED_EXPRESSION).toBe('variables.isManager || has(namespaceObject.metadata.deletionTimestamp)');
    expect(PROTECT_NAMESPACES_EXPRESSION).toBe('variables.isManager || has(oldObject.metadata.deletionTimestamp)');
  });

  it('says what to do instead, naming the object from the request so DELETE works', () => {
    const [validation] = managed.spec?.validations ?? [];
    expect(validation).toMatchObject({ messageExpression: PROTECT_MANAGED_MESSAGE_EXPRESSION, reason: 'Forbidden' });
    expect(PROTECT_MANAGED_MESSAGE_EXPRESSION).toBe(
      'request.kind.kind + " " + request.name + " is managed by Spacekit; change the Space instead (spacekit update space …), not the object"',
    );
    expect(validation?.message).toBe(
      'this object is managed by Spacekit; change the Space instead (spacekit update space …), not the object',
    );
    const [nsValidation] = namespaces.spec?.validations ?? [];
    expect(nsValidation).toMatchObject({ messageExpression: PROTECT_NAMESPACES_MESSAGE_EXPRESSION, reason: 'Forbidden' });
    expect(nsValidation?.message).toMatch(
      /^this namespace is managed by Spacekit; change or delete its Organization, Tenant or Space instead/,
    );
    // `object` is null on DELETE; a message built from it would fail.
    for (const v of [validation, nsValidation]) expect(v?.messageExpression).not.toMatch(/\bobject\./);
  });
});

describe('managerExpression', () => {
  it('names the default managers: the operator ServiceAccount and system:masters', () => {
    expect(managerExpression(DEFAULT_SETTINGS.managers)).toBe(
      'request.userInfo.username in ["system:serviceaccount:spacekit-system:spacekit-operator"]' +
        ' || (has(request.userInfo.groups) && request.userInfo.groups.exists(g, g in ["system:masters"]))',
    );
  });

  it('includes every user, group and ServiceAccount from the settings', () => {
    const settings = ClusterSettingsSchema.parse({
      managers: {
        users: ['alice@example.com', 'oidc:https://issuer/bob'],
        groups: ['platform-team', 'system:masters'],
        serviceAccounts: ['flux-system:kustomize-controller', 'spacekit-system:spacekit-operator'],
      },
    });
    const expression = managerExpression(settings.managers);
    expect(expression).toContain(
      'request.userInfo.username in ["alice@example.com", "oidc:https://issuer/bob", "system:serviceaccount:flux-system:kustomize-controller", "system:serviceaccount:spacekit-system:spacekit-operator"]',
    );
    expect(expression).toContain('g in ["platform-team", "system:masters"]');
    const [managed, , namespaces] = renderProtectionPolicies(settings);
    for (const policy of [managed, namespaces]) expect(policy.spec?.variables?.[0]?.expression).toBe(expression);
  });

  it('leaves out the clauses with nobody in them', () => {
    expect(managerExpression({ users: ['alice'], groups: [], serviceAccounts: [] })).toBe('request.userInfo.username in ["alice"]');
    expect(managerExpression({ users: [], groups: ['ops'], serviceAccounts: [] })).toBe(
      '(has(request.userInfo.groups) && request.userInfo.groups.exists(g, g in ["ops"]))',
    );
  });

  it('lets nobody through when there are no managers', () => {
    expect(managerExpression({ users: [], groups: [], serviceAccounts: [] })).toBe('false');
  });

  it('quotes names so that they cannot change the expression', () => {
    const expression = managerExpression({ users: ['eve" || true || "'], groups: [], serviceAccounts: [] });
    expect(expression).toBe('request.userInfo.username in ["eve\\" || true || \\""]');
  });
});

describe('serviceAccountUsername', () => {
  it('turns namespace:name into the ServiceAccount username', () => {
    expect(serviceAccountUsername('spacekit-system:spacekit-operator')).toBe('system:serviceaccount:spacekit-system:spacekit-operator');
  });

  it.each(['spacekit-operator', 'a:b:c', ':name', 'ns:'])('rejects %j, pointing at the entry', (entry) => {
    expect(() => serviceAccountUsername(entry, 2)).toThrow(ValidationError);
    expect(() => serviceAccountUsername(entry, 2)).toThrow(/managers\.serviceAccounts\.2: .*namespace:name/);
  });

  it('makes rendering fail on a malformed entry rather than guard the wrong account', () => {
    const settings = ClusterSettingsSchema.parse({ managers: { serviceAccounts: ['spacekit-operator'] } });
    expect(() => renderProtectionPolicies(settings)).toThrow(ValidationError);
  });
});
