import { describe, expect, it } from 'vitest';
import { ResourceListError } from './errors.ts';
import { parseQuantity } from './parse.ts';
import { formatResourceList, parseResourceList, sumResourceLists } from './resource-list.ts';

const GI_BYTES = 1_073_741_824n;

function thrownBy(action: () => unknown): ResourceListError {
  try {
    action();
  } catch (error) {
    if (error instanceof ResourceListError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a ResourceListError');
}

describe('parseResourceList', () => {
  it('parses values exactly and stores shorthands under their requests. key', () => {
    const parsed = parseResourceList({ cpu: '1500m', memory: '1Gi', pods: 10, 'limits.cpu': '2' });
    expect([...parsed.entries()]).toEqual([
      ['requests.cpu', 1500n],
      ['requests.memory', GI_BYTES * 1000n],
      ['pods', 10_000n],
      ['limits.cpu', 2000n],
    ]);
  });

  it('accepts an empty list', () => {
    expect(parseResourceList({}).size).toBe(0);
  });

  it('rejects a negative budget, naming the key, unless negatives are allowed', () => {
    const error = thrownBy(() => parseResourceList({ cpu: '-1' }));
    expect(error.message).toBe('resources.cpu: "-1" is negative; budgets must be zero or more');
    expect(error.resource).toBe('cpu');
    expect(parseResourceList({ cpu: '-1' }, { allowNegative: true }).get('requests.cpu')).toBe(-1000n);
    expect(parseQuantity('-1')).toBe(-1000n);
  });

  it('prefixes messages with the caller’s path', () => {
    const error = thrownBy(() => parseResourceList({ pods: -2 }, { path: 'spec.budget' }));
    expect(error.message).toBe('spec.budget.pods: -2 is negative; budgets must be zero or more');
  });

  it('names the key of a value that is not a quantity, keeping the quantity error as the cause', () => {
    const error = thrownBy(() => parseResourceList({ memory: '1.5 GB' }));
    expect(error.message).toContain('resources.memory: "1.5 GB" is not a Kubernetes quantity');
    expect(error.message).toContain('such as 500m, 2, 1.5Gi or 512Mi');
    expect(error.resource).toBe('memory');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('rejects names ResourceQuota does not know', () => {
    const error = thrownBy(() => parseResourceList({ cpus: '1' }));
    expect(error.message).toContain('resources.cpus: "cpus" is not a resource ResourceQuota understands');
    expect(error.resource).toBe('cpus');
  });

  it.each([
    ['cpu', 'requests.cpu'],
    ['requests.memory', 'memory'],
    ['ephemeral-storage', 'requests.ephemeral-storage'],
  ])('refuses %s and %s together, as that would count one resource twice', (first, second) => {
    const error = thrownBy(() => parseResourceList({ [first]: '1', [second]: '1' }));
    expect(error.message).toContain(`"${first}" and "${second}" are both`);
    expect(error.message).toContain('keep only one of them');
    expect(error.resource).toBe(second);
  });

  it('keeps cpu and limits.cpu apart, since they are different quotas', () => {
    const parsed = parseResourceList({ cpu: '1', 'limits.cpu': '2' });
    expect(parsed.get('requests.cpu')).toBe(1000n);
    expect(parsed.get('limits.cpu')).toBe(2000n);
  });
});

describe('formatResourceList', () => {
  it('writes each resource in its conventional style, keys sorted', () => {
    const list = formatResourceList(
      new Map([
        ['requests.memory', 1536n * 1024n * 1024n * 1000n],
        ['requests.cpu', 1500n],
        ['pods', 10_000n],
      ]),
    );
    expect(Object.entries(list)).toEqual([
      ['pods', '10'],
      ['requests.cpu', '1500m'],
      ['requests.memory', '1536Mi'],
    ]);
  });
});

describe('sumResourceLists', () => {
  it('adds per resource, treating a missing resource as zero', () => {
    const total = sumResourceLists([
      parseResourceList({ cpu: '500m', memory: '512Mi' }),
      parseResourceList({ 'requests.cpu': '1.5', pods: '3' }),
      parseResourceList({ memory: '512Mi' }),
    ]);
    expect(total.get('requests.cpu')).toBe(parseQuantity('2'));
    expect(total.get('requests.memory')).toBe(GI_BYTES * 1000n);
    expect(total.get('pods')).toBe(3000n);
    expect(total.size).toBe(3);
  });

  it('normalizes hand-built maps so cpu and requests.cpu add up as one resource', () => {
    const total = sumResourceLists([new Map([['cpu', 1000n]]), new Map([['requests.cpu', 500n]])]);
    expect([...total.entries()]).toEqual([['requests.cpu', 1500n]]);
  });

  it('refuses a single map that holds one resource under two names', () => {
    const error = thrownBy(() =>
      sumResourceLists([
        new Map([
          ['cpu', 1n],
          ['requests.cpu', 1n],
        ]),
      ]),
    );
    expect(error.message).toContain('keep only one of them');
  });

  it('sums nothing to an empty map', () => {
    expect(sumResourceLists([]).size).toBe(0);
  });
});
