import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, spaceNamespace, tenantNamespace } from '../model/index.ts';
import { organizationFixture, spaceFixture, tenantFixture } from './fixtures.ts';
import { renderSpace } from './render.ts';
import { namespacesSelectedByName, selectedNamespaceProblem } from './selected-namespaces.ts';

/** Every namespace name a Space's rendered network policies select by `kubernetes.io/metadata.name`. */
function selectedByRenderedPolicies(settings = DEFAULT_SETTINGS): string[] {
  const org = organizationFixture('acme');
  const objects = renderSpace(org, tenantFixture('acme', 'ci'), spaceFixture('acme', 'ci', 'run'), settings);
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      const labels = (value as { matchLabels?: Record<string, string> }).matchLabels;
      const name = labels?.['kubernetes.io/metadata.name'];
      if (name) names.add(name);
      Object.values(value).forEach(visit);
    }
  };
  for (const o of objects.filter((x) => x.kind === 'NetworkPolicy')) visit(o.spec);
  return [...names].sort();
}

describe('namespacesSelectedByName', () => {
  it('lists every namespace the rendered policies select by name, for the default and another ingress namespace', () => {
    for (const settings of [DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, ingressNamespace: 'edge' }]) {
      const listed = namespacesSelectedByName(settings).map((s) => s.namespace);
      expect(listed.sort()).toEqual(selectedByRenderedPolicies(settings));
    }
  });
});

describe('selectedNamespaceProblem', () => {
  it("refuses an organization named after the ingress controller's namespace, saying why and what to do", () => {
    expect(selectedNamespaceProblem('organization', 'ingress-nginx', 'ingress-nginx', DEFAULT_SETTINGS)).toBe(
      'organization name "ingress-nginx" would make namespace "ingress-nginx", which is the ingress controller\'s (the ingressNamespace setting): every Space admits traffic from its pods, so whatever ran in it would be let through to every Space of every tenant; choose another name',
    );
    expect(selectedNamespaceProblem('organization', 'acme', 'acme', DEFAULT_SETTINGS)).toBeUndefined();
  });

  it('refuses a tenant or Space whose namespace would be a configured ingress namespace made of levels', () => {
    const settings = { ingressNamespace: 'edge--lb' };
    expect(selectedNamespaceProblem('tenant', 'lb', tenantNamespace('edge', 'lb'), settings)).toMatch(
      /^tenant name "lb" would make namespace "edge--lb"/,
    );
    expect(selectedNamespaceProblem('space', 'lb', spaceNamespace('edge', 'lb', 'x'), settings)).toBeUndefined();
    expect(selectedNamespaceProblem('space', 'x', spaceNamespace('a', 'b', 'x'), { ingressNamespace: 'a--b--x' })).toMatch(
      /^space name "x"/,
    );
  });

  it('refuses the namespace of the cluster DNS, which every Space may reach', () => {
    expect(selectedNamespaceProblem('organization', 'kube-system', 'kube-system', DEFAULT_SETTINGS)).toMatch(/cluster DNS/);
  });
});
