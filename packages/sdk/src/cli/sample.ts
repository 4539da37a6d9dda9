import type { CreateOrganizationInput, CreateSpaceInput, CreateTenantInput, SpaceRef, TenantRef } from '../api/inputs.ts';
import { ConflictError, NotFoundError } from '../errors.ts';

/** The organization `spacekit up` creates, with its tenants and Spaces. */
export interface Sample {
  organization: CreateOrganizationInput;
  tenants: readonly CreateTenantInput[];
  spaces: readonly CreateSpaceInput[];
}

/**
 * A small organization that shows every level and leaves room to grow:
 * each budget has part of it free, so the next `create` a newcomer tries fits.
 */
export const SAMPLE: Sample = {
  organization: { name: 'demo', resources: { cpu: '8', memory: '16Gi' } },
  tenants: [
    // tina administers this tenant: with the operator running she can write Space objects here herself.
    { organization: 'demo', name: 'web', resources: { cpu: '4', memory: '8Gi' }, members: [{ kind: 'User', name: 'tina', role: 'admin' }] },
    { organization: 'demo', name: 'data', resources: { cpu: '2', memory: '4Gi' } },
  ],
  spaces: [
    { organization: 'demo', tenant: 'web', name: 'dev', resources: { cpu: '1', memory: '2Gi' } },
    { organization: 'demo', tenant: 'web', name: 'staging', resources: { cpu: '2', memory: '4Gi' } },
    { organization: 'demo', tenant: 'data', name: 'etl', resources: { cpu: '1', memory: '2Gi' } },
  ],
};

/** The part of the SDK {@link ensureSample} needs; a `Spacekit` connection is one. */
export interface SampleTarget {
  organizations: { get(name: string): Promise<unknown>; create(input: CreateOrganizationInput): Promise<unknown> };
  tenants: { get(ref: TenantRef): Promise<unknown>; create(input: CreateTenantInput): Promise<unknown> };
  spaces: { get(ref: SpaceRef): Promise<unknown>; create(input: CreateSpaceInput): Promise<unknown> };
}

/** What {@link ensureSample} did, as `organization demo`, `tenant demo/web`, `space demo/web/dev`. */
export interface SampleResult {
  created: string[];
  existing: string[];
}

/**
 * Creates what of the sample is missing, parents first, and leaves what
 * exists as it is, so that `spacekit up` can run again on the same cluster.
 */
export async function ensureSample(kit: SampleTarget, sample: Sample = SAMPLE): Promise<SampleResult> {
  const result: SampleResult = { created: [], existing: [] };
  const ensure = async (label: string, get: () => Promise<unknown>, create: () => Promise<unknown>) => {
    try {
      await get();
      result.existing.push(label);
      return;
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
    try {
      await create();
      result.created.push(label);
    } catch (err) {
      // Another `up` got there between the read and the create.
      if (!(err instanceof ConflictError)) throw err;
      result.existing.push(label);
    }
  };
  const org = sample.organization;
  await ensure(
    `organization ${org.name}`,
    () => kit.organizations.get(org.name),
    () => kit.organizations.create(org),
  );
  for (const t of sample.tenants) {
    await ensure(
      `tenant ${t.organization}/${t.name}`,
      () => kit.tenants.get({ organization: t.organization, name: t.name }),
      () => kit.tenants.create(t),
    );
  }
  for (const s of sample.spaces) {
    await ensure(
      `space ${s.organization}/${s.tenant}/${s.name}`,
      () => kit.spaces.get({ organization: s.organization, tenant: s.tenant, name: s.name }),
      () => kit.spaces.create(s),
    );
  }
  return result;
}
