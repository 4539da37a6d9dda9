import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, NotInstalledError } from '../errors.ts';
import { nameProblem, organizationNameProblem, spaceNamespace } from '../model/index.ts';
import { parseResourceList, type Quantity } from '../quantity/index.ts';
import { ensureSample, SAMPLE, type SampleTarget } from './sample.ts';

const total = (lists: readonly Record<string, string | number>[]) => {
  const sums = new Map<string, Quantity>();
  for (const list of lists) for (const [r, q] of parseResourceList(list)) sums.set(r, (sums.get(r) ?? 0n) + q);
  return sums;
};

describe('the sample organization', () => {
  it('is the one documented for `spacekit up`', () => {
    expect(SAMPLE.organization).toEqual({ name: 'demo', resources: { cpu: '8', memory: '16Gi' } });
    expect(SAMPLE.tenants.map((t) => [t.name, t.resources])).toEqual([
      ['web', { cpu: '4', memory: '8Gi' }],
      ['data', { cpu: '2', memory: '4Gi' }],
    ]);
    expect(SAMPLE.spaces.map((s) => [`${s.tenant}/${s.name}`, s.resources])).toEqual([
      ['web/dev', { cpu: '1', memory: '2Gi' }],
      ['web/staging', { cpu: '2', memory: '4Gi' }],
      ['data/etl', { cpu: '1', memory: '2Gi' }],
    ]);
  });

  it('has valid names whose namespaces fit', () => {
    expect(organizationNameProblem(SAMPLE.organization.name)).toBeUndefined();
    for (const t of SAMPLE.tenants) expect(nameProblem('tenant', t.name)).toBeUndefined();
    for (const s of SAMPLE.spaces) expect(spaceNamespace(s.organization, s.tenant, s.name)).toBe(`demo--${s.tenant}--${s.name}`);
  });

  it('fits every budget, with room to spare', () => {
    const orgBudget = parseResourceList(SAMPLE.organization.resources ?? {});
    const tenantTotal = total(SAMPLE.tenants.map((t) => t.resources ?? {}));
    for (const [resource, limit] of orgBudget) expect(tenantTotal.get(resource) ?? 0n).toBeLessThan(limit);
    for (const tenant of SAMPLE.tenants) {
      expect(tenant.organization).toBe(SAMPLE.organization.name);
      const spaces = SAMPLE.spaces.filter((s) => s.tenant === tenant.name);
      expect(spaces.length).toBeGreaterThan(0);
      const held = total(spaces.map((s) => s.resources ?? {}));
      // Every resource the tenant budgets must be asked for by each Space, and fit.
      for (const [resource, limit] of parseResourceList(tenant.resources ?? {})) {
        for (const s of spaces) expect(parseResourceList(s.resources ?? {}).has(resource)).toBe(true);
        expect(held.get(resource) ?? 0n).toBeLessThanOrEqual(limit);
      }
    }
    expect(SAMPLE.spaces.every((s) => SAMPLE.tenants.some((t) => t.name === s.tenant && t.organization === s.organization))).toBe(true);
  });
});

/** An in-memory stand-in for the SDK that records creates. */
function fakeKit(existing: string[] = []) {
  const objects = new Set(existing);
  const calls: string[] = [];
  const get = async (id: string) => {
    if (!objects.has(id)) throw new NotFoundError(`${id} does not exist`);
  };
  const create = async (id: string) => {
    calls.push(`create ${id}`);
    objects.add(id);
  };
  const kit: SampleTarget = {
    organizations: { get: (name) => get(`organization ${name}`), create: (i) => create(`organization ${i.name}`) },
    tenants: { get: (r) => get(`tenant ${r.organization}/${r.name}`), create: (i) => create(`tenant ${i.organization}/${i.name}`) },
    spaces: {
      get: (r) => get(`space ${r.organization}/${r.tenant}/${r.name}`),
      create: (i) => create(`space ${i.organization}/${i.tenant}/${i.name}`),
    },
  };
  return { kit, calls };
}

describe('ensureSample', () => {
  it('creates everything on an empty cluster, parents first', async () => {
    const { kit, calls } = fakeKit();
    const result = await ensureSample(kit);
    expect(calls).toEqual([
      'create organization demo',
      'create tenant demo/web',
      'create tenant demo/data',
      'create space demo/web/dev',
      'create space demo/web/staging',
      'create space demo/data/etl',
    ]);
    expect(result.existing).toEqual([]);
    expect(result.created).toHaveLength(6);
  });

  it('creates only what is missing, so a second run changes nothing', async () => {
    const { kit, calls } = fakeKit(['organization demo', 'tenant demo/web', 'space demo/web/dev']);
    const first = await ensureSample(kit);
    expect(first.created).toEqual(['tenant demo/data', 'space demo/web/staging', 'space demo/data/etl']);
    expect(first.existing).toEqual(['organization demo', 'tenant demo/web', 'space demo/web/dev']);
    calls.length = 0;
    const second = await ensureSample(kit);
    expect(calls).toEqual([]);
    expect(second.created).toEqual([]);
    expect(second.existing).toHaveLength(6);
  });

  it('counts an object created by someone else in the meantime as existing', async () => {
    const { kit } = fakeKit();
    kit.organizations.create = async () => {
      throw new ConflictError('organization demo already exists');
    };
    const result = await ensureSample(kit);
    expect(result.existing).toEqual(['organization demo']);
  });

  it('stops on any other error', async () => {
    const { kit } = fakeKit();
    kit.organizations.get = async () => {
      throw new NotInstalledError();
    };
    await expect(ensureSample(kit)).rejects.toBeInstanceOf(NotInstalledError);
  });
});
