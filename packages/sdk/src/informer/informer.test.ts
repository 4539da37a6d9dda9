import { describe, expect, it } from 'vitest';
import { isNewer, stripBookkeeping } from './informer.ts';
import { compactLevel, compactOwned, Interner } from './intern.ts';

describe('isNewer', () => {
  it('compares numeric resource versions as numbers, not text', () => {
    expect(isNewer('10', '9')).toBe(true);
    expect(isNewer('9', '10')).toBe(false);
    expect(isNewer('42', '42')).toBe(false);
  });

  it('treats any other difference as newer, since versions are opaque by contract', () => {
    expect(isNewer('b', 'a')).toBe(true);
    expect(isNewer('1', undefined)).toBe(true);
  });
});

describe('stripBookkeeping', () => {
  it("drops managedFields and kubectl's last-applied copy, and keeps everything a reconcile reads", () => {
    const stripped = stripBookkeeping({
      metadata: {
        name: 'x',
        resourceVersion: '7',
        managedFields: [{ manager: 'spacekit' }],
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', keep: 'me' },
        labels: { a: 'b' },
      },
      spec: { hard: { pods: '1' } },
    } as never) as { metadata: Record<string, unknown>; spec: unknown };
    expect(stripped.metadata).toEqual({ name: 'x', resourceVersion: '7', annotations: { keep: 'me' }, labels: { a: 'b' } });
    expect(stripped.spec).toEqual({ hard: { pods: '1' } });
  });
});

describe('compact caching', () => {
  const policy = (namespace: string, rv: string) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: 'spacekit-default-deny',
      namespace,
      uid: `uid-${rv}`,
      resourceVersion: rv,
      creationTimestamp: '2026-11-29T00:00:00Z',
      labels: { 'spacekit.dev/space': namespace },
    },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });

  it('shares identical subtrees between objects and keeps what differs', () => {
    const interner = new Interner();
    const a = compactOwned(policy('a', '1'), interner);
    const b = compactOwned(policy('b', '2'), interner);
    expect(a.spec).toBe(b.spec);
    expect(a.metadata.labels).not.toBe(b.metadata.labels);
    expect(a.metadata).toEqual({
      name: 'spacekit-default-deny',
      namespace: 'a',
      resourceVersion: '1',
      labels: { 'spacekit.dev/space': 'a' },
    });
    expect(b.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  it('keeps a Spacekit object whole, sharing its spec', () => {
    const interner = new Interner();
    const space = (name: string) => ({
      metadata: { name, uid: name, creationTimestamp: 't', generation: 2, finalizers: ['spacekit.dev/cleanup'] },
      spec: { resources: { cpu: '1' } },
      status: { phase: 'Ready', usage: { used: {} } },
    });
    const x = compactLevel(space('x'), interner);
    const y = compactLevel(space('y'), interner);
    expect(x.spec).toBe(y.spec);
    expect(x.metadata.finalizers).toBe(y.metadata.finalizers);
    expect(x).toEqual(space('x'));
  });
});
