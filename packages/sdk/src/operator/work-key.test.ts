import { describe, expect, it } from 'vitest';
import { decodeWorkKey, encodeWorkKey, type WorkKey } from './work-key.ts';

describe('work keys', () => {
  const keys: WorkKey[] = [
    { kind: 'Organization', organization: 'acme' },
    { kind: 'Tenant', organization: 'acme', tenant: 'payments' },
    { kind: 'Space', organization: 'acme', tenant: 'payments', space: 'dev' },
  ];

  it('round-trip every kind, in the strings the queue and the logs have always shown', () => {
    expect(keys.map(encodeWorkKey)).toEqual(['Organization/acme', 'Tenant/acme/payments', 'Space/acme/payments/dev']);
    for (const key of keys) expect(decodeWorkKey(encodeWorkKey(key))).toEqual(key);
  });

  it('reject an unknown kind, the wrong number of names and empty names', () => {
    for (const bad of [
      '',
      'acme',
      'Namespace/acme',
      'organization/acme',
      'constructor/acme',
      'Organization',
      'Organization/',
      'Organization/acme/payments',
      'Tenant/acme',
      'Tenant/acme/',
      'Tenant//payments',
      'Space/acme/payments',
      'Space/acme/payments/dev/extra',
      'Space/acme//dev',
    ]) {
      expect(decodeWorkKey(bad), bad).toBeUndefined();
    }
  });
});
