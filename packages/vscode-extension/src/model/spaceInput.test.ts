import { describe, expect, it } from 'vitest';
import { remainingBudget } from './budget.ts';
import { belowUsage, createInput, parseCustomSize, schemaProblem, sizeOf, sizeProblem, spaceNameProblem, withSize } from './spaceInput.ts';

const tenant = { organization: 'acme', tenant: 'payments' };
const free = remainingBudget({ 'requests.cpu': '3', 'requests.memory': '6Gi' }, { 'requests.cpu': '1', 'requests.memory': '2Gi' });

describe('Space name validation, as the user types', () => {
  it('accepts a DNS label that is free in the tenant', () => {
    expect(spaceNameProblem(tenant, 'preview', ['web'])).toBeUndefined();
  });

  it("refuses with the SDK's own message: bad characters, a double hyphen, an overlong namespace, a taken name", () => {
    expect(spaceNameProblem(tenant, 'Bad_Name', [])).toMatch(/is not allowed: use lowercase letters/);
    expect(spaceNameProblem(tenant, 'a--b', [])).toMatch(/contains "--"/);
    expect(spaceNameProblem(tenant, 'x'.repeat(60), [])).toMatch(
      /the namespace ".*" would be 76 characters; Kubernetes allows 63. Shorten/,
    );
    expect(spaceNameProblem(tenant, 'web', ['web'])).toBe('tenant acme/payments already has a Space named "web"; choose another name');
  });
});

describe('custom sizes', () => {
  it('reads cpu=… memory=…, in any order, or two amounts in order', () => {
    expect(parseCustomSize('cpu=2 memory=4Gi')).toEqual({ size: { label: 'Custom', cpu: '2', memory: '4Gi' } });
    expect(parseCustomSize('memory=512Mi, cpu=250m')).toEqual({ size: { label: 'Custom', cpu: '250m', memory: '512Mi' } });
    expect(parseCustomSize('1 2Gi')).toEqual({ size: { label: 'Custom', cpu: '1', memory: '2Gi' } });
    expect(parseCustomSize('mem=1Gi cpu=1')).toEqual({ size: { label: 'Custom', cpu: '1', memory: '1Gi' } });
  });

  it('says what is wrong with a size it cannot read', () => {
    expect(parseCustomSize('cpu=2')).toEqual({ problem: 'give both cpu and memory, such as cpu=2 memory=4Gi' });
    expect(parseCustomSize('gpu=1 cpu=1 memory=1Gi')).toMatchObject({ problem: expect.stringContaining('not "gpu"') });
    expect(parseCustomSize('1 2Gi 3')).toMatchObject({ problem: expect.stringContaining('"3" is left over') });
    expect(parseCustomSize('cpu==2')).toMatchObject({ problem: expect.stringContaining('is not resource=amount') });
  });

  it('validates amounts with the SDK schema before the budget, so a typo reads as a typo', () => {
    expect(sizeProblem({ ...tenant, name: 'x' }, { cpu: 'two', memory: '1Gi' }, free, 'tenant acme/payments')).toMatch(/^resources\.cpu: /);
    expect(sizeProblem({ ...tenant, name: 'x' }, { cpu: '-1', memory: '1Gi' }, free, 'tenant acme/payments')).toMatch(/negative/);
  });

  it('refuses a size above the remaining budget, naming what was asked and what is free', () => {
    expect(sizeProblem({ ...tenant, name: 'x' }, { cpu: '50', memory: '1Gi' }, free, 'tenant acme/payments')).toBe(
      "Too big for tenant acme/payments: cpu 50 asked, 2 free. Choose a smaller size, or ask the Organization's admins to raise the Tenant's budget.",
    );
    expect(sizeProblem({ ...tenant, name: 'x' }, { cpu: '3', memory: '8Gi' }, free, 'tenant acme/payments')).toMatch(
      /cpu 3 asked, 2 free; mem 8Gi asked, 4Gi free/,
    );
    expect(sizeProblem({ ...tenant, name: 'x' }, { cpu: '2', memory: '4Gi' }, free, 'tenant acme/payments')).toBeUndefined();
  });
});

describe('what the flow sends', () => {
  it("is the SDK's own create input, valid by its schema", () => {
    const input = createInput({ ...tenant, name: 'preview' }, { cpu: '500m', memory: '1Gi' }, 'gvisor', 'isolated');
    expect(input).toEqual({
      organization: 'acme',
      tenant: 'payments',
      name: 'preview',
      resources: { cpu: '500m', memory: '1Gi' },
      sandbox: 'gvisor',
      network: { preset: 'isolated' },
    });
    expect(schemaProblem(input)).toBeUndefined();
  });

  it('replaces CPU and memory on resize whatever their spelling, keeping the rest', () => {
    expect(withSize({ 'requests.cpu': '1', memory: '1Gi', pods: '10' }, { cpu: '2', memory: '2Gi' })).toEqual({
      pods: '10',
      cpu: '2',
      memory: '2Gi',
    });
    expect(sizeOf({ 'requests.cpu': '1', memory: '1Gi' })).toEqual({ label: 'Current', cpu: '1', memory: '1Gi' });
  });

  it('names the resources a resize would cap below current usage', () => {
    const used = { 'requests.cpu': '700m', 'requests.memory': '512Mi' };
    expect(belowUsage({ cpu: '500m', memory: '1Gi' }, used)).toEqual(['cpu 500m < 700m used']);
    expect(belowUsage({ cpu: '500m', memory: '256Mi' }, used)).toEqual(['cpu 500m < 700m used', 'mem 256Mi < 512Mi used']);
    expect(belowUsage({ cpu: '700m', memory: '512Mi' }, used)).toEqual([]);
    expect(belowUsage({ cpu: '1', memory: '1Gi' }, {})).toEqual([]);
  });
});
