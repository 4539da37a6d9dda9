import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.ts';
import { mergeResources, resourcesFromFlags } from './resources.ts';

describe('resourcesFromFlags', () => {
  it('maps --cpu, --memory and --resource NAME=Q onto a resource list', () => {
    expect(
      resourcesFromFlags({ cpu: '2', memory: '4Gi', resource: ['pods=20', 'requests.nvidia.com/gpu=1', 'count/deployments.apps=5'] }),
    ).toEqual({
      cpu: '2',
      memory: '4Gi',
      pods: '20',
      'requests.nvidia.com/gpu': '1',
      'count/deployments.apps': '5',
    });
  });

  it('gives an empty list for no flags', () => {
    expect(resourcesFromFlags({})).toEqual({});
  });

  it('splits --resource at the first =', () => {
    expect(resourcesFromFlags({ resource: ['odd=1=2'] })).toEqual({ odd: '1=2' });
  });

  it('passes quantities through unchecked, for the SDK to explain', () => {
    expect(resourcesFromFlags({ cpu: 'lots' })).toEqual({ cpu: 'lots' });
  });

  it('refuses a resource given twice under any spelling', () => {
    expect(() => resourcesFromFlags({ memory: '1Gi', resource: ['requests.memory=2Gi'] })).toThrow(
      'requests.memory is given twice (--memory and --resource requests.memory=2Gi); give it once',
    );
    expect(() => resourcesFromFlags({ resource: ['pods=1', 'pods=2'] })).toThrow(UsageError);
  });

  it('refuses malformed entries and empty quantities', () => {
    expect(() => resourcesFromFlags({ resource: ['=3'] })).toThrow('--resource takes NAME=QUANTITY');
    expect(() => resourcesFromFlags({ resource: ['pods='] })).toThrow('--resource pods= needs a quantity');
    expect(() => resourcesFromFlags({ cpu: ' ' })).toThrow('--cpu needs a quantity, such as 2, 500m or 4Gi');
  });
});

describe('mergeResources', () => {
  it('replaces the resources given, whatever their spelling, and keeps the rest', () => {
    expect(mergeResources({ 'requests.cpu': '1', memory: '2Gi', pods: 10 }, { cpu: '2' })).toEqual({ memory: '2Gi', pods: 10, cpu: '2' });
    expect(mergeResources({ cpu: '1' }, { 'requests.memory': '1Gi' })).toEqual({ cpu: '1', 'requests.memory': '1Gi' });
  });
});
