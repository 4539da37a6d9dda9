import { describe, expect, it } from 'vitest';
import { QuotaExceededError } from '../errors.ts';
import { budgetLimitError } from './budget-error.ts';

const tenant = { organization: 'acme', name: 'ci' };

function refusal(overrides: Partial<ConstructorParameters<typeof QuotaExceededError>[0]> = {}): QuotaExceededError {
  return new QuotaExceededError({
    resource: 'requests.cpu',
    parent: 'tenant acme/ci',
    requested: '500m',
    budget: '2',
    free: '0',
    holders: [
      { name: 'space/test-1', amount: '1' },
      { name: 'space/test-2', amount: '1' },
    ],
    message:
      'space "test-3" asks for requests.cpu=500m, but tenant acme/ci has none free of 2 (held by …). Free some up (shrink or delete a space), or ask for a bigger budget.',
    ...overrides,
  });
}

describe('budgetLimitError', () => {
  it('says the budget is the limit, how many Spaces this process holds and what to change', () => {
    const original = refusal();
    const err = budgetLimitError(original, { tenant, openInProcess: 2, waitedMs: 0 });
    expect(err).toBeInstanceOf(QuotaExceededError);
    expect(err.code).toBe('QUOTA_EXCEEDED');
    expect(err.cause).toBe(original);
    expect(err.message).toContain("cannot create an ephemeral Space in tenant acme/ci: the tenant's budget is the limit");
    expect(err.message).toContain(original.message);
    expect(err.message).toContain('2 ephemeral Spaces are open in this process');
    expect(err.message).toMatch(/give each Space less.*run fewer workers.*raise the tenant's budget.*spacekit update tenant acme\/ci/);
    expect(err.message).not.toContain('after waiting');
  });

  it('keeps the original fields, for code that reads them', () => {
    const original = refusal();
    const err = budgetLimitError(original, { tenant, openInProcess: 0, waitedMs: 0 });
    expect({ ...err, message: err.message }).toMatchObject({
      resource: original.resource,
      parent: original.parent,
      requested: original.requested,
      budget: original.budget,
      free: original.free,
      holders: original.holders,
    });
  });

  it('counts in the singular and says how long it waited', () => {
    const err = budgetLimitError(refusal(), { tenant, openInProcess: 1, waitedMs: 30_400 });
    expect(err.message).toContain('1 ephemeral Space is open in this process');
    expect(err.message).toContain('in tenant acme/ci after waiting 30s for room');
  });

  it('asks for the missing resource when the Space left out one the tenant budgets', () => {
    const original = refusal({ resource: 'pods', requested: 'nothing', message: 'space "test-3" must ask for pods: …' });
    const err = budgetLimitError(original, { tenant, openInProcess: 0, waitedMs: 0 });
    expect(err.message).toContain('the tenant budgets pods, so every Space must ask for a share of it');
    expect(err.message).toContain("{ pods: '1' }");
    expect(err.message).not.toContain('run fewer workers');
  });
});
