import { describe, expect, it } from 'vitest';
import { QuotaExceededError } from '../errors.ts';
import { allocatedTotal, budgetShortfalls, checkAllocation, checkBudgetChange, freeBudget, type Ledger } from './budget.ts';

const ledger: Ledger = {
  parent: 'tenant acme/payments',
  childKind: 'space',
  budget: { cpu: '8', memory: '16Gi' },
  allocations: {
    web: { 'requests.cpu': '4', 'requests.memory': '8Gi' },
    api: { 'requests.cpu': '2', 'requests.memory': '4Gi' },
  },
};

function refusal(fn: () => void): QuotaExceededError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(QuotaExceededError);
    return err as QuotaExceededError;
  }
  throw new Error('expected a QuotaExceededError');
}

describe('checkAllocation', () => {
  it('accepts a child that fits exactly in what is free', () => {
    expect(() => checkAllocation(ledger, 'dev', { cpu: '2', memory: '4Gi' })).not.toThrow();
    expect(() => checkAllocation(ledger, 'dev', { cpu: '2000m', memory: '4096Mi' })).not.toThrow();
  });

  it('refuses a child above the remaining budget, naming resource, amounts and holders', () => {
    const err = refusal(() => checkAllocation(ledger, 'dev', { cpu: '2500m', memory: '1Gi' }));
    expect(err).toMatchObject({ resource: 'requests.cpu', requested: '2500m', free: '2', budget: '8', parent: 'tenant acme/payments' });
    expect(err.holders).toEqual([
      { name: 'space/web', amount: '4' },
      { name: 'space/api', amount: '2' },
    ]);
    expect(err.message).toBe(
      'space "dev" asks for requests.cpu=2500m, but tenant acme/payments has only 2 free of 8 (held by space/web (4), space/api (2)). Ask for 2 or less, or free some up.',
    );
  });

  it('says to free some up, not to ask for nothing, when nothing is free', () => {
    const full = { ...ledger, allocations: { ...ledger.allocations, db: { 'requests.cpu': '2', 'requests.memory': '2Gi' } } };
    const err = refusal(() => checkAllocation(full, 'dev', { cpu: '1', memory: '1Gi' }));
    expect(err.free).toBe('0');
    expect(err.message).toBe(
      'space "dev" asks for requests.cpu=1, but tenant acme/payments has none free of 8 (held by space/web (4), space/api (2), space/db (2)). Free some up (shrink or delete a space), or ask for a bigger budget.',
    );
  });

  it("checks growth against the others only, replacing the child's own allocation", () => {
    expect(() => checkAllocation(ledger, 'web', { cpu: '6', memory: '8Gi' })).not.toThrow();
    expect(refusal(() => checkAllocation(ledger, 'web', { cpu: '6001m', memory: '8Gi' })).free).toBe('6');
  });

  it('requires a child to ask for every resource its parent budgets', () => {
    const err = refusal(() => checkAllocation(ledger, 'dev', { cpu: '1' }));
    expect(err.resource).toBe('requests.memory');
    expect(err.message).toContain('must ask for requests.memory');
  });

  it('leaves resources the parent does not name unbounded', () => {
    expect(() => checkAllocation(ledger, 'dev', { cpu: '1', memory: '1Gi', pods: '1000' })).not.toThrow();
  });

  it('is exact at milli-unit precision', () => {
    const tight: Ledger = {
      ...ledger,
      budget: { cpu: '1' },
      allocations: { a: { 'requests.cpu': '333m' }, b: { 'requests.cpu': '333m' } },
    };
    expect(() => checkAllocation(tight, 'c', { cpu: '334m' })).not.toThrow();
    expect(() => checkAllocation(tight, 'c', { cpu: '335m' })).toThrow(QuotaExceededError);
  });
});

describe('checkBudgetChange', () => {
  it('refuses to shrink below what children hold', () => {
    const err = refusal(() => checkBudgetChange(ledger, { cpu: '5', memory: '16Gi' }));
    expect(err.resource).toBe('requests.cpu');
    expect(err.message).toContain('cannot shrink requests.cpu to 5: its spaces hold 6');
  });

  it('allows shrinking down to exactly what is held', () => {
    expect(() => checkBudgetChange(ledger, { cpu: '6', memory: '12Gi' })).not.toThrow();
  });
});

describe('allocatedTotal', () => {
  it('sums allocations per resource', () => {
    expect(allocatedTotal(ledger)).toEqual({ 'requests.cpu': '6', 'requests.memory': '12Gi' });
  });
});

describe('freeBudget and budgetShortfalls', () => {
  const budget = new Map([
    ['requests.cpu', 3000n],
    ['requests.memory', 6n * 2n ** 30n * 1000n],
  ]);

  it('is the budget minus what is held, plus what is given back, never below zero', () => {
    const held = new Map([
      ['requests.cpu', 4000n],
      ['requests.memory', 2n ** 31n * 1000n],
    ]);
    const free = freeBudget(budget, held, new Map([['requests.memory', 1000n]]));
    expect(free).toEqual(
      new Map([
        ['requests.cpu', 0n],
        ['requests.memory', 4n * 2n ** 30n * 1000n + 1000n],
      ]),
    );
  });

  it('lists every resource asked for beyond what is free, and none the budget does not name', () => {
    const free = freeBudget(budget, new Map([['requests.cpu', 2000n]]));
    const request = new Map([
      ['requests.cpu', 1500n],
      ['pods', 100_000n],
      ['requests.memory', 7n * 2n ** 30n * 1000n],
    ]);
    expect(budgetShortfalls(request, free)).toEqual([
      { resource: 'requests.cpu', requested: 1500n, free: 1000n },
      { resource: 'requests.memory', requested: 7n * 2n ** 30n * 1000n, free: 6n * 2n ** 30n * 1000n },
    ]);
  });
});
