import type { RequestRecord } from '@spacekit/sdk';
import { describe, expect, it } from 'vitest';
import { costsOf, msPerSpace, requestKind, requestsPerSpace, resourceOf } from './profile.ts';

describe('requestKind', () => {
  it('names a request by verb, resource and subresource, without group, version, namespace or name', () => {
    expect(requestKind('PUT', '/apis/spacekit.dev/v1alpha1/namespaces/o/tenants/t/status')).toBe('PUT tenants/status');
    expect(requestKind('POST', '/apis/spacekit.dev/v1alpha1/namespaces/o--t/spaces')).toBe('POST spaces');
    expect(requestKind('PATCH', '/api/v1/namespaces/o--t--s/resourcequotas/quota')).toBe('PATCH resourcequotas');
    expect(requestKind('POST', '/api/v1/namespaces')).toBe('POST namespaces');
    expect(requestKind('GET', '/api/v1/namespaces/o--t--s')).toBe('GET namespaces');
    expect(requestKind('PATCH', '/apis/networking.k8s.io/v1/namespaces/x/networkpolicies/deny')).toBe('PATCH networkpolicies');
  });
});

describe('resourceOf', () => {
  it('is the resource of a request kind, without its subresource', () => {
    expect(resourceOf('PUT tenants/status')).toBe('tenants');
    expect(resourceOf('PATCH resourcequotas')).toBe('resourcequotas');
    expect(resourceOf('?')).toBe('');
  });
});

describe('costsOf', () => {
  const record = (method: string, path: string, durationMs: number) => ({ method, path, durationMs }) as RequestRecord;

  it('groups by kind, per Space, most time first, and the totals add up', () => {
    const records = [
      record('POST', '/api/v1/namespaces', 10),
      record('POST', '/api/v1/namespaces', 30),
      record('PUT', '/apis/spacekit.dev/v1alpha1/namespaces/o/tenants/t/status', 100),
    ];
    const costs = costsOf(records, 2);
    expect(costs).toEqual([
      { request: 'PUT tenants/status', perSpace: 0.5, meanMs: 100, msPerSpace: 50 },
      { request: 'POST namespaces', perSpace: 1, meanMs: 20, msPerSpace: 20 },
    ]);
    expect(msPerSpace(costs)).toBe(70);
    expect(requestsPerSpace(costs)).toBe(1.5);
  });
});
