import { describe, expect, it } from 'vitest';
import { scopeHints, widening } from './hints.ts';

describe('where to look for a user who may not list Organizations', () => {
  it("takes the settings and a context namespace that is a Tenant's or a Space's, widest first, without repeats", () => {
    const hints = scopeHints(['acme/payments/dev', 'acme/payments'], 'acme--payments');
    expect(hints).toEqual({
      scopes: [
        { organization: 'acme', tenant: 'payments' },
        { organization: 'acme', tenant: 'payments', space: 'dev' },
      ],
      problems: [],
    });
    expect(scopeHints([], 'acme--payments--dev').scopes).toEqual([{ organization: 'acme', tenant: 'payments', space: 'dev' }]);
  });

  it('ignores a plain namespace such as default or myapp, which says nothing about Spacekit', () => {
    expect(scopeHints([], 'default').scopes).toEqual([]);
    expect(scopeHints([], 'myapp').scopes).toEqual([]);
    expect(scopeHints([], undefined).scopes).toEqual([]);
  });

  it('reports a setting it cannot read instead of failing', () => {
    const hints = scopeHints(['Acme/x', 'acme'], undefined);
    expect(hints.scopes).toEqual([{ organization: 'acme' }]);
    expect(hints.problems).toEqual([expect.stringMatching(/^spacekit\.scopes: organization name "Acme" is not allowed/)]);
  });

  it('widens a scope from the organization down', () => {
    expect(widening({ organization: 'a', tenant: 'b', space: 'c' })).toEqual([
      { organization: 'a' },
      { organization: 'a', tenant: 'b' },
      { organization: 'a', tenant: 'b', space: 'c' },
    ]);
  });
});
