import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { KubeClient } from '../kube/index.ts';
import { DEFAULT_SETTINGS } from '../model/index.ts';
import { tenantFixture } from '../render/fixtures.ts';
import { engineContext, LAST_PARENTS_LIMIT } from './context.ts';
import { tenantLedger } from './ledgers.ts';
import { parentKey } from './parent-ref.ts';

describe('engineContext', () => {
  it('keeps the copies of at most LAST_PARENTS_LIMIT parents, the most recently used', () => {
    const kc = new KubeConfig();
    kc.loadFromClusterAndUser({ name: 'c', server: 'https://127.0.0.1:1', skipTLSVerify: false }, { name: 'u' });
    const ctx = engineContext(new KubeClient(kc), DEFAULT_SETTINGS);
    const tenants = LAST_PARENTS_LIMIT * 4;
    const key = (t: number) => parentKey(tenantLedger(ctx, 'acme', `t${t}`));
    for (let t = 0; t < tenants; t++) ctx.lastParents.set(key(t), tenantFixture('acme', `t${t}`));
    expect(ctx.lastParents.size).toBe(LAST_PARENTS_LIMIT);
    expect(ctx.lastParents.has(key(0))).toBe(false);
    expect(ctx.lastParents.get(key(tenants - 1))?.metadata.name).toBe(`t${tenants - 1}`);
  });
});
