import { describe, expect, it } from 'vitest';
import { allocatedTotal, budgetShortfalls, freeBudget } from './budget.ts';

const ledger = {
  allocations: {
    web: { 'requests.cpu': '4', 'requests.memory': '8Gi' },
    api: { 'requests.cpu': '2', 'requests.memory': '4Gi' },
  },
};

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
