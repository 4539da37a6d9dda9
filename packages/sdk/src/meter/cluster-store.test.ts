import { describe, expect, it } from 'vitest';
import { MeterCoverageSpecSchema } from '../model/index.ts';
import { meterShard } from './cluster-store.ts';

describe('meterShard', () => {
  it('is `all` for an operator that looks after every Organization, and one stable name per selector otherwise', () => {
    expect(meterShard(undefined)).toBe('all');
    expect(meterShard('')).toBe('all');
    const a = meterShard('team=a');
    expect(a).toBe(meterShard('team=a'));
    expect(a).not.toBe(meterShard('team=b'));
    // It is a label value and part of an object name, and the schema takes it.
    expect(a).toMatch(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/);
    expect(MeterCoverageSpecSchema.safeParse({ day: '2026-12-04', shard: a, spans: [], batches: [] }).success).toBe(true);
  });
});
