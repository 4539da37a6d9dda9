import { describe, expect, it } from 'vitest';
import { rulesAllow } from './rules.ts';

describe('rulesAllow', () => {
  const spaces = { verbs: ['get', 'update', 'delete'], apiGroups: ['spacekit.dev'], resources: ['spaces'] };

  it('allows a verb the rule lists on its group and resource, and nothing else', () => {
    expect(rulesAllow([spaces], { verb: 'update', group: 'spacekit.dev', resource: 'spaces', name: 'dev' })).toBe(true);
    expect(rulesAllow([spaces], { verb: 'create', group: 'spacekit.dev', resource: 'spaces' })).toBe(false);
    expect(rulesAllow([spaces], { verb: 'update', group: '', resource: 'spaces' })).toBe(false);
    expect(rulesAllow([spaces], { verb: 'update', group: 'spacekit.dev', resource: 'tenants' })).toBe(false);
    expect(rulesAllow([], { verb: 'get', group: '', resource: 'pods' })).toBe(false);
  });

  it('expands wildcards in verbs, groups and resources', () => {
    const all = { verbs: ['*'], apiGroups: ['*'], resources: ['*'] };
    expect(rulesAllow([all], { verb: 'delete', group: 'apps', resource: 'deployments' })).toBe(true);
    expect(rulesAllow([all], { verb: 'create', group: '', resource: 'serviceaccounts/token' })).toBe(true);
  });

  it("matches subresources exactly or by RBAC's two patterns", () => {
    const token = { verbs: ['create'], apiGroups: [''], resources: ['serviceaccounts/token'] };
    expect(rulesAllow([token], { verb: 'create', group: '', resource: 'serviceaccounts/token' })).toBe(true);
    expect(rulesAllow([token], { verb: 'create', group: '', resource: 'serviceaccounts' })).toBe(false);
    expect(
      rulesAllow([{ ...token, resources: ['serviceaccounts/*'] }], { verb: 'create', group: '', resource: 'serviceaccounts/token' }),
    ).toBe(true);
    expect(rulesAllow([{ ...token, resources: ['*/token'] }], { verb: 'create', group: '', resource: 'serviceaccounts/token' })).toBe(true);
    expect(
      rulesAllow([{ ...token, resources: ['serviceaccounts'] }], { verb: 'create', group: '', resource: 'serviceaccounts/token' }),
    ).toBe(false);
  });

  it('narrows a rule with resourceNames to those objects, never to a request without a name', () => {
    const one = { verbs: ['get', 'create'], apiGroups: ['spacekit.dev'], resources: ['spaces'], resourceNames: ['dev'] };
    expect(rulesAllow([one], { verb: 'get', group: 'spacekit.dev', resource: 'spaces', name: 'dev' })).toBe(true);
    expect(rulesAllow([one], { verb: 'get', group: 'spacekit.dev', resource: 'spaces', name: 'prod' })).toBe(false);
    expect(rulesAllow([one], { verb: 'create', group: 'spacekit.dev', resource: 'spaces' })).toBe(false);
  });

  it("takes a rule without apiGroups (a non-resource rule's shape) as allowing nothing", () => {
    expect(rulesAllow([{ verbs: ['get'] }], { verb: 'get', group: '', resource: 'pods' })).toBe(false);
  });
});
