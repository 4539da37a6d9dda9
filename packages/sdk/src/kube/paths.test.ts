import { describe, expect, it } from 'vitest';
import { knownPath } from './paths.ts';

describe('knownPath', () => {
  it('builds core, group, namespaced and cluster-scoped paths without discovery', () => {
    expect(knownPath({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'a--b' } }, 'patch')).toBe(
      '/api/v1/namespaces/a--b/resourcequotas/q',
    );
    expect(knownPath({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace: 'n' } }, 'list')).toBe(
      '/apis/networking.k8s.io/v1/namespaces/n/networkpolicies',
    );
    expect(knownPath({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }, 'read')).toBe('/api/v1/namespaces/n');
    expect(knownPath({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: {} }, 'list')).toBe(
      '/apis/rbac.authorization.k8s.io/v1/clusterroles',
    );
    expect(knownPath({ apiVersion: 'spacekit.dev/v1alpha1', kind: 'Space', metadata: { namespace: 'o--t' } }, 'create')).toBe(
      '/apis/spacekit.dev/v1alpha1/namespaces/o--t/spaces',
    );
  });

  it('leaves unknown kinds, and named actions without a name, to discovery', () => {
    expect(knownPath({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }, 'read')).toBeUndefined();
    expect(knownPath({ apiVersion: 'v1', kind: 'Namespace', metadata: {} }, 'delete')).toBeUndefined();
  });
});
