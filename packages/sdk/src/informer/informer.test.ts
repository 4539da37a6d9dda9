import { describe, expect, it } from 'vitest';
import { isNewer, stripBookkeeping } from './informer.ts';

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
  it('drops managedFields and kubectl\'s last-applied copy, and keeps everything a reconcile reads', () => {
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
