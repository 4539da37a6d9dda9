import { describe, expect, it } from 'vitest';
import { humanAmount, humanQuantity } from './human.ts';
import { parseQuantity } from './parse.ts';

describe('humanQuantity', () => {
  const cases: ReadonlyArray<{ name: string; quantity: string; text: string }> = [
    { name: 'requests.cpu', quantity: '1200m', text: '1.2' },
    { name: 'requests.cpu', quantity: '1234m', text: '1.2' },
    { name: 'requests.cpu', quantity: '1250m', text: '1.3' },
    { name: 'requests.cpu', quantity: '1960m', text: '2' },
    { name: 'requests.cpu', quantity: '500m', text: '500m' },
    { name: 'requests.cpu', quantity: '48', text: '48' },
    { name: 'requests.memory', quantity: '3Gi', text: '3Gi' },
    { name: 'requests.memory', quantity: '1.5Gi', text: '1.5Gi' },
    { name: 'requests.memory', quantity: '3.14Gi', text: '3.1Gi' },
    { name: 'requests.memory', quantity: '1023.99Mi', text: '1Gi' },
    { name: 'requests.memory', quantity: '1536Ki', text: '1.5Mi' },
    { name: 'requests.memory', quantity: '1G', text: '953.7Mi' },
    { name: 'requests.memory', quantity: '1000', text: '1000' },
    { name: 'requests.storage', quantity: '0', text: '0' },
    { name: 'pods', quantity: '10', text: '10' },
    { name: 'pods', quantity: '500m', text: '500m' },
  ];

  it.each(cases)('shows $quantity of $name as $text', ({ name, quantity, text }) => {
    expect(humanQuantity(name, parseQuantity(quantity))).toBe(text);
  });

  it('keeps the sign of an overdrawn budget', () => {
    expect(humanQuantity('requests.cpu', parseQuantity('-1500m'))).toBe('-1.5');
    expect(humanQuantity('requests.memory', parseQuantity('-2Gi'))).toBe('-2Gi');
  });
});

// The CLI tree and the editor extension show quantities through humanAmount.
describe('humanAmount', () => {
  it('rounds for people and shows an unreadable quantity as it came', () => {
    expect(humanAmount('requests.memory', '1536Mi')).toBe('1.5Gi');
    expect(humanAmount('requests.cpu', '0')).toBe('0');
    expect(humanAmount('requests.cpu', 'lots')).toBe('lots');
  });

  it('takes milli-units and plain numbers, and reads a missing value as zero', () => {
    expect(humanAmount('requests.cpu', 1500n)).toBe('1.5');
    expect(humanAmount('pods', 10)).toBe('10');
    expect(humanAmount('requests.cpu', undefined)).toBe('0');
  });
});
