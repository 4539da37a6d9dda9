import { describe, expect, it } from 'vitest';
import { describeAmounts, leftAfter, remainingBudget, shortfalls } from './budget.ts';

describe('remaining budget', () => {
  it('is the budget minus what the Spaces hold, never below zero', () => {
    const free = remainingBudget({ 'requests.cpu': '3', 'requests.memory': '6Gi' }, { 'requests.cpu': '4', 'requests.memory': '2Gi' });
    expect(describeAmounts(free)).toBe('cpu 0 · mem 4Gi');
  });

  it('gives a resized Space its own allocation back, whatever spelling it uses', () => {
    const free = remainingBudget({ 'requests.cpu': '3' }, { 'requests.cpu': '3' }, { cpu: '1' });
    expect(describeAmounts(free)).toBe('cpu 1');
  });

  it('does not limit what the tenant does not budget', () => {
    const free = remainingBudget({ 'requests.cpu': '1' }, {});
    expect(shortfalls({ cpu: '500m', memory: '100Gi' }, free)).toEqual([]);
    expect(shortfalls({ cpu: '2' }, free)).toEqual([{ resource: 'requests.cpu', requested: '2', free: '1' }]);
  });

  it('says what a size would leave', () => {
    expect(
      describeAmounts(leftAfter(remainingBudget({ 'requests.cpu': '2', 'requests.memory': '4Gi' }, {}), { cpu: '500m', memory: '1Gi' })),
    ).toBe('cpu 1.5 · mem 3Gi');
  });
});
