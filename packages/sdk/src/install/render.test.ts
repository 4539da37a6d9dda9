import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ClusterSettingsSchema, DEFAULT_SETTINGS } from '../model/settings.ts';
import { INSTALL_LABELS, INSTALL_LABEL_SELECTOR, installObjectKinds } from './labels.ts';
import { PROTECT_POLICIES } from './protect.ts';
import { renderInstall } from './render.ts';
import { SANDBOX_POLICIES } from './sandbox.ts';

const objects = renderInstall(DEFAULT_SETTINGS);
const kindIndex = (o: { apiVersion?: string; kind?: string }) =>
  installObjectKinds.findIndex((k) => k.apiVersion === o.apiVersion && k.kind === o.kind);

describe('renderInstall', () => {
  it('matches the reviewed YAML', () => {
    expect(stringify(objects)).toMatchSnapshot();
  });

  it('labels every object so INSTALL_LABEL_SELECTOR finds it', () => {
    expect(INSTALL_LABEL_SELECTOR).toBe('app.kubernetes.io/managed-by=spacekit,app.kubernetes.io/part-of=spacekit');
    for (const o of objects) expect(o.metadata?.labels).toMatchObject(INSTALL_LABELS);
  });

  it('prefixes every name with spacekit- except the RuntimeClass, which the settings name', () => {
    for (const o of objects) {
      if (o.kind === 'RuntimeClass') expect(o.metadata?.name).toBe(DEFAULT_SETTINGS.runtimeClass.name);
      else expect(o.metadata?.name).toMatch(/^spacekit-/);
    }
  });

  it('emits objects in the order of installObjectKinds, and every kind in it', () => {
    const indexes = objects.map(kindIndex);
    expect(indexes).not.toContain(-1);
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    expect(new Set(indexes)).toEqual(new Set(installObjectKinds.map((_, i) => i)));
  });

  it('puts the mutating policy before the validating ones, and each policy before its binding', () => {
    const position = (kind: string, name: string) => objects.findIndex((o) => o.kind === kind && o.metadata?.name === name);
    const mutating = position('MutatingAdmissionPolicy', SANDBOX_POLICIES.runtimeClass);
    expect(mutating).toBeGreaterThan(position('RuntimeClass', 'gvisor'));
    expect(position('MutatingAdmissionPolicyBinding', SANDBOX_POLICIES.runtimeClass)).toBeGreaterThan(mutating);
    for (const name of [SANDBOX_POLICIES.enforce, PROTECT_POLICIES.managed, PROTECT_POLICIES.namespaces]) {
      const policy = position('ValidatingAdmissionPolicy', name);
      expect(policy).toBeGreaterThan(mutating);
      expect(position('ValidatingAdmissionPolicyBinding', name)).toBeGreaterThan(policy);
    }
  });

  it('gives every binding a policy of the same name and kind', () => {
    const bindings = objects.filter((o) => o.kind?.endsWith('PolicyBinding'));
    expect(bindings).toHaveLength(6);
    for (const binding of bindings) {
      const policyName = (binding as { spec?: { policyName?: string } }).spec?.policyName;
      expect(policyName).toBe(binding.metadata?.name);
      expect(objects.filter((o) => o.kind === binding.kind?.replace(/Binding$/, '') && o.metadata?.name === policyName)).toHaveLength(1);
    }
  });

  it('renders no two objects of one kind with the same name', () => {
    const keys = objects.map((o) => `${o.kind}/${o.metadata?.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('shares no nested objects, so YAML has no anchors and callers may mutate freely', () => {
    const text = stringify(objects);
    expect(text).not.toMatch(/[&*]a\d/);
  });

  it('is pure: the same settings give equal objects', () => {
    expect(renderInstall(DEFAULT_SETTINGS)).toEqual(objects);
    expect(renderInstall(DEFAULT_SETTINGS)).not.toBe(objects);
  });

  it('carries custom settings into the RuntimeClass and both sandbox policies', () => {
    const custom = renderInstall(ClusterSettingsSchema.parse({ runtimeClass: { name: 'kata', handler: 'kata-qemu' } }));
    const text = JSON.stringify(custom);
    expect(custom.find((o) => o.kind === 'RuntimeClass')?.metadata?.name).toBe('kata');
    expect(text).toContain('runtimeClassName: \\"kata\\"');
    expect(text).toContain('object.spec.runtimeClassName == \\"kata\\"');
    expect(text).not.toContain('"gvisor\\"');
  });
});
