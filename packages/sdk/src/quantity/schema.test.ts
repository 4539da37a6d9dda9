import { describe, expect, it } from 'vitest';
import { parseQuantity } from './parse.ts';
import { QuantitySchema, ResourceListSchema } from './schema.ts';

function messages(result: { success: boolean; error?: { issues: ReadonlyArray<{ message: string; path: PropertyKey[] }> } }) {
  return (result.error?.issues ?? []).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

describe('QuantitySchema', () => {
  it.each(['500m', '1.5Gi', '0', '1e3', 2, 0.5])('accepts %s unchanged', (value) => {
    const result = QuantitySchema.safeParse(value);
    expect(result.success).toBe(true);
    expect(result.data).toBe(value);
  });

  it('reports the same message parseQuantity throws', () => {
    const result = QuantitySchema.safeParse('1.5 GB');
    expect(result.success).toBe(false);
    expect(() => parseQuantity('1.5 GB')).toThrow(messages(result)[0]?.message ?? 'no message');
    expect(messages(result)[0]?.message).toContain('such as 500m, 2, 1.5Gi or 512Mi');
  });

  it('rejects negative quantities', () => {
    expect(messages(QuantitySchema.safeParse('-1'))).toEqual([{ path: '', message: '"-1" is negative; budgets must be zero or more' }]);
  });

  it.each([true, null, undefined, {}, Number.NaN])('rejects %s with the valid examples', (value) => {
    const [issue, ...others] = messages(QuantitySchema.safeParse(value));
    expect(others).toEqual([]);
    expect(issue?.message).toContain('such as 500m, 2, 1.5Gi or 512Mi');
  });
});

describe('ResourceListSchema', () => {
  it('accepts a budget using standard and qualified names', () => {
    const budget = {
      cpu: '4',
      'requests.memory': '8Gi',
      'limits.cpu': 8,
      pods: '20',
      'services.nodeports': '0',
      'count/deployments.apps': '10',
      'requests.nvidia.com/gpu': '2',
    };
    expect(ResourceListSchema.parse(budget)).toEqual(budget);
  });

  it('points at the offending key with an actionable message', () => {
    const result = ResourceListSchema.safeParse({ cpus: '1', memory: '-1Gi', pods: 'lots' });
    const found = messages(result);
    expect(found).toHaveLength(3);
    expect(found).toContainEqual({ path: 'memory', message: '"-1Gi" is negative; budgets must be zero or more' });
    expect(found.find((issue) => issue.path === 'cpus')?.message).toContain('is not a resource ResourceQuota understands');
    expect(found.find((issue) => issue.path === 'pods')?.message).toContain('"lots" is not a Kubernetes quantity');
  });

  it('rejects a resource given under both its shorthand and its requests. name', () => {
    const found = messages(ResourceListSchema.safeParse({ cpu: '1', 'requests.cpu': '2' }));
    expect(found).toHaveLength(1);
    expect(found[0]?.path).toBe('requests.cpu');
    expect(found[0]?.message).toContain('"cpu" and "requests.cpu" are both requests.cpu');
  });

  it('rejects something that is not an object', () => {
    expect(ResourceListSchema.safeParse('cpu=1').success).toBe(false);
  });
});
