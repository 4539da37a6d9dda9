import { describe, expect, it } from 'vitest';
import { normalizeResourceName, resourceNameProblem, resourceTitle } from './resource-name.ts';

describe('normalizeResourceName', () => {
  const cases: ReadonlyArray<{ name: string; key: string }> = [
    { name: 'cpu', key: 'requests.cpu' },
    { name: 'memory', key: 'requests.memory' },
    { name: 'ephemeral-storage', key: 'requests.ephemeral-storage' },
    { name: 'hugepages-2Mi', key: 'requests.hugepages-2Mi' },
    { name: 'requests.cpu', key: 'requests.cpu' },
    { name: 'limits.cpu', key: 'limits.cpu' },
    { name: 'limits.memory', key: 'limits.memory' },
    { name: 'pods', key: 'pods' },
    { name: 'requests.nvidia.com/gpu', key: 'requests.nvidia.com/gpu' },
    { name: 'count/deployments.apps', key: 'count/deployments.apps' },
  ];

  it.each(cases)('stores $name under $key', ({ name, key }) => {
    expect(normalizeResourceName(name)).toBe(key);
  });

  it('is idempotent', () => {
    for (const { name } of cases) {
      expect(normalizeResourceName(normalizeResourceName(name))).toBe(normalizeResourceName(name));
    }
  });
});

describe('resourceNameProblem', () => {
  it.each([
    'cpu',
    'memory',
    'requests.memory',
    'limits.cpu',
    'pods',
    'services',
    'services.nodeports',
    'services.loadbalancers',
    'persistentvolumeclaims',
    'requests.storage',
    'hugepages-2Mi',
    'requests.hugepages-1Gi',
    'count/deployments.apps',
    'count/widgets.example.com',
    'requests.nvidia.com/gpu',
    'gold.storageclass.storage.k8s.io/requests.storage',
  ])('accepts %s', (name) => {
    expect(resourceNameProblem(name)).toBeUndefined();
  });

  const rejected: ReadonlyArray<{ name: string; fragment: string }> = [
    { name: 'cpus', fragment: '"cpus" is not a resource ResourceQuota understands' },
    { name: 'CPU', fragment: 'not a resource ResourceQuota understands' },
    { name: 'requests.gpu', fragment: 'not a resource ResourceQuota understands' },
    { name: '', fragment: 'not a resource ResourceQuota understands' },
    { name: 'storage', fragment: 'not a resource ResourceQuota understands' },
    { name: 'hugepages-', fragment: 'at most 63 letters' },
    { name: 'Example.com/gpu', fragment: 'lowercase DNS subdomain' },
    { name: '/gpu', fragment: 'lowercase DNS subdomain' },
    { name: 'a/b/c', fragment: 'lowercase DNS subdomain' },
    { name: 'example.com/', fragment: 'at most 63 letters' },
    { name: 'example.com/-gpu', fragment: 'starting and ending with a letter or digit' },
    { name: `example.com/${'g'.repeat(64)}`, fragment: 'at most 63' },
  ];

  it.each(rejected)('rejects "$name"', ({ name, fragment }) => {
    const problem = resourceNameProblem(name);
    expect(problem).toContain(fragment);
    expect(problem).toContain('count/deployments.apps');
  });
});

describe('resourceTitle', () => {
  it.each([
    ['requests.cpu', 'CPU', 'CPU'],
    ['requests.memory', 'MEMORY', 'MEMORY'],
    ['requests.ephemeral-storage', 'EPHEMERAL-STORAGE', 'EPHEMERAL-STORAGE'],
    ['requests.hugepages-2Mi', 'HUGEPAGES-2MI', 'HUGEPAGES-2MI'],
    ['limits.memory', 'LIMITS.MEMORY', 'LIMITS.MEMORY'],
    ['pods', 'PODS', 'PODS'],
    ['requests.nvidia.com/gpu', 'REQUESTS.NVIDIA.COM/GPU', 'REQUESTS.NVIDIA.COM/GPU'],
    ['count/deployments.apps', 'COUNT/DEPLOYMENTS.APPS', 'COUNT/DEPLOYMENTS.APPS'],
    // The one name the CLI tree and the meter report title differently; each keeps its own.
    ['requests.storage', 'REQUESTS.STORAGE', 'STORAGE'],
  ])('titles %s as %s in the tree and %s in the meter report', (resource, shorthand, unprefixed) => {
    expect(resourceTitle(resource)).toBe(shorthand);
    expect(resourceTitle(resource, 'unprefixed')).toBe(unprefixed);
  });
});
