import { describe, expect, it } from 'vitest';
import { ClusterSettingsSchema, DEFAULT_SETTINGS } from '../model/settings.ts';
import { SANDBOX_POLICIES, renderSandboxPolicies, sandboxMessage, sandboxMessageExpression } from './sandbox.ts';

const sandboxed = { namespaceSelector: { matchLabels: { 'spacekit.dev/sandbox': 'gvisor' } } };

describe('renderSandboxPolicies', () => {
  const [mutating, mutatingBinding, validating, validatingBinding] = renderSandboxPolicies(DEFAULT_SETTINGS);

  it('renders a mutating and a validating policy, each with a binding of the same name', () => {
    expect(mutating).toMatchObject({ kind: 'MutatingAdmissionPolicy', metadata: { name: SANDBOX_POLICIES.runtimeClass } });
    expect(mutatingBinding).toMatchObject({
      kind: 'MutatingAdmissionPolicyBinding',
      metadata: { name: SANDBOX_POLICIES.runtimeClass },
      spec: { policyName: SANDBOX_POLICIES.runtimeClass },
    });
    expect(validating).toMatchObject({ kind: 'ValidatingAdmissionPolicy', metadata: { name: SANDBOX_POLICIES.enforce } });
    expect(validatingBinding).toMatchObject({
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: SANDBOX_POLICIES.enforce },
      spec: { policyName: SANDBOX_POLICIES.enforce, validationActions: ['Deny'] },
    });
    for (const o of [mutating, mutatingBinding, validating, validatingBinding])
      expect(o.apiVersion).toBe('admissionregistration.k8s.io/v1');
  });

  it('binds both policies to sandboxed namespaces only', () => {
    expect(mutatingBinding.spec?.matchResources).toEqual(sandboxed);
    expect(validatingBinding.spec?.matchResources).toEqual(sandboxed);
  });

  it('matches pod CREATE only, and fails closed', () => {
    const podCreate = [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }];
    expect(mutating.spec?.matchConstraints?.resourceRules).toEqual(podCreate);
    expect(validating.spec?.matchConstraints?.resourceRules).toEqual(podCreate);
    expect(mutating.spec?.failurePolicy).toBe('Fail');
    expect(validating.spec?.failurePolicy).toBe('Fail');
    expect(mutating.spec?.reinvocationPolicy).toBe('Never');
  });

  it('mutates only pods that name no runtime class', () => {
    expect(mutating.spec?.matchConditions).toEqual([{ name: 'no-runtime-class-name', expression: '!has(object.spec.runtimeClassName)' }]);
    expect(mutating.spec?.mutations).toEqual([
      { patchType: 'ApplyConfiguration', applyConfiguration: { expression: 'Object{spec: Object.spec{runtimeClassName: "gvisor"}}' } },
    ]);
  });

  it('denies pods whose runtime class is not the sandbox one, with an actionable message', () => {
    const [validation, ...more] = validating.spec?.validations ?? [];
    expect(more).toEqual([]);
    expect(validation).toEqual({
      expression: 'has(object.spec.runtimeClassName) && object.spec.runtimeClassName == "gvisor"',
      messageExpression: sandboxMessageExpression('gvisor'),
      message: 'pods in this Space run under gVisor: remove spec.runtimeClassName or set it to "gvisor" (this Space has sandbox: gvisor)',
      reason: 'Forbidden',
    });
    expect(validation?.messageExpression).toContain('object.spec.runtimeClassName');
    expect(validation?.messageExpression).toMatch(/^has\(object\.spec\.runtimeClassName\) \? /);
  });

  it('uses the runtime class name from the settings in both policies and their messages', () => {
    const settings = ClusterSettingsSchema.parse({ runtimeClass: { name: 'kata-sandbox', handler: 'kata' } });
    const [m, , v] = renderSandboxPolicies(settings);
    expect(m.spec?.mutations?.[0]?.applyConfiguration?.expression).toBe('Object{spec: Object.spec{runtimeClassName: "kata-sandbox"}}');
    const validation = v.spec?.validations?.[0];
    expect(validation?.expression).toBe('has(object.spec.runtimeClassName) && object.spec.runtimeClassName == "kata-sandbox"');
    expect(validation?.message).toBe(sandboxMessage('kata-sandbox'));
    expect(validation?.message).toContain('set it to "kata-sandbox"');
    expect(validation?.messageExpression).toContain('set it to \\"kata-sandbox\\"');
    expect(JSON.stringify(v)).not.toContain('"gvisor\\"');
  });
});

describe('sandboxMessageExpression', () => {
  it('quotes the class name as a CEL string, so odd names cannot break the expression', () => {
    const expression = sandboxMessageExpression('a"b');
    // The fallback branch is a single string literal; CEL and JSON agree on its escapes.
    const fallback = expression.slice(expression.lastIndexOf(' : ') + 3);
    expect(JSON.parse(fallback)).toBe(sandboxMessage('a"b'));
    expect(expression).not.toContain(' "a"b"');
  });
});
