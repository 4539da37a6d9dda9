import { describe, expect, it } from 'vitest';
import { contains, levelOf, parseScope, scopeKey, scopeLabel, spaceAddress } from './scope.ts';

describe('scopes', () => {
  it('parse from the settings syntax and print back', () => {
    const parsed = parseScope('acme/payments/dev');
    expect(parsed).toEqual({ scope: { organization: 'acme', tenant: 'payments', space: 'dev' } });
    if ('scope' in parsed) {
      expect(scopeKey(parsed.scope)).toBe('acme/payments/dev');
      expect(levelOf(parsed.scope)).toBe('space');
      expect(scopeLabel(parsed.scope)).toBe('space acme/payments/dev');
      expect(spaceAddress(parsed.scope)).toEqual({ organization: 'acme', tenant: 'payments', name: 'dev' });
    }
    expect(parseScope(' acme ')).toEqual({ scope: { organization: 'acme' } });
  });

  it("refuse bad names with the SDK's rules", () => {
    expect(parseScope('acme//dev')).toMatchObject({ problem: expect.stringContaining('is not a scope') });
    expect(parseScope('a/b/c/d')).toMatchObject({ problem: expect.stringContaining('is not a scope') });
    expect(parseScope('kube-system/x')).toMatchObject({ problem: expect.stringContaining('reserved') });
    expect(parseScope('acme/Pay')).toMatchObject({ problem: expect.stringContaining('tenant name "Pay" is not allowed') });
  });

  it('contain what lies below them', () => {
    expect(contains({ organization: 'acme' }, { organization: 'acme', tenant: 'p', space: 's' })).toBe(true);
    expect(contains({ organization: 'acme', tenant: 'p' }, { organization: 'acme', tenant: 'q' })).toBe(false);
    expect(contains({ organization: 'acme', tenant: 'p', space: 's' }, { organization: 'acme', tenant: 'p' })).toBe(false);
  });
});
