import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  MAX_BUCKETS_PER_OBJECT,
  OrganizationSpecSchema,
  SPACE_ROLES,
  SpaceSpecSchema,
  TenantSpecSchema,
  type SpaceSpecInput,
} from '../model/index.ts';
import { spacekitCrds } from './crds.ts';
import { KINDS } from './kinds.ts';
import { QUANTITY_PATTERN } from './quantity.ts';
import { structuralProblems } from './testing/structural-rules.ts';
import { validate } from './testing/validate.ts';
import type { CustomResourceDefinition, StructuralSchema } from './types.ts';

const all = spacekitCrds();
/** The three kinds of the tenancy model; the metered-usage kinds have tests of their own below. */
const crds = all.filter((crd) => crd.spec.names.kind in KINDS);

function byKind(kind: string): CustomResourceDefinition {
  const crd = all.find((c) => c.spec.names.kind === kind);
  if (!crd) throw new Error(`no CRD for ${kind}`);
  return crd;
}

function rootSchema(kind: string): StructuralSchema {
  const version = byKind(kind).spec.versions[0];
  if (!version) throw new Error(`${kind} has no version`);
  return version.schema.openAPIV3Schema;
}

function specSchema(kind: string): StructuralSchema {
  const spec = rootSchema(kind).properties?.['spec'];
  if (!spec) throw new Error(`${kind} has no spec schema`);
  return spec;
}

/** The schema a printer column's JSONPath lands on; undefined when a step does not exist. */
function columnTarget(schema: StructuralSchema, jsonPath: string): StructuralSchema | undefined {
  let node: StructuralSchema | undefined = schema;
  for (const [, field, filterField] of jsonPath.matchAll(/\.([A-Za-z0-9_]+)|\[\?\(@\.([A-Za-z0-9_]+)==[^\]]*\)\]/g)) {
    if (node === undefined) return undefined;
    // Metadata's schema belongs to the API server; its fields are the standard ones.
    if (JSON.stringify(node) === '{"type":"object"}' && field === 'creationTimestamp') return { type: 'string', format: 'date-time' };
    if (field !== undefined) node = node.properties?.[field];
    else if (node.type === 'array' && filterField !== undefined && node.items?.properties?.[filterField] !== undefined) node = node.items;
    else return undefined;
  }
  return node;
}

const QUANTITY = { anyOf: [{ type: 'integer' }, { type: 'string' }], pattern: QUANTITY_PATTERN, 'x-kubernetes-int-or-string': true };

describe('spacekitCrds', () => {
  it.each(all.map((crd) => [crd.metadata.name, crd] as const))('%s is a structural schema', (_name, crd) => {
    for (const version of crd.spec.versions) expect(structuralProblems(version.schema.openAPIV3Schema)).toEqual([]);
  });

  it('names, scopes and labels the three kinds', () => {
    expect(crds.map((crd) => [crd.metadata.name, crd.spec.scope, crd.spec.names.shortNames])).toEqual([
      ['organizations.spacekit.dev', 'Cluster', ['org', 'orgs']],
      ['tenants.spacekit.dev', 'Namespaced', ['tn']],
      ['spaces.spacekit.dev', 'Namespaced', ['sp']],
    ]);
    for (const crd of crds) {
      const info = KINDS[crd.spec.names.kind as keyof typeof KINDS];
      expect(crd.spec.names).toMatchObject({ plural: info.plural, singular: info.singular, categories: ['spacekit'] });
      expect(crd.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'spacekit', 'app.kubernetes.io/part-of': 'spacekit' });
      expect(crd.spec.versions.map((v) => [v.name, v.served, v.storage, v.subresources])).toEqual([
        ['v1alpha1', true, true, { status: {} }],
      ]);
    }
  });

  it('gives spec and status object schemas and leaves metadata to the API server', () => {
    for (const crd of crds) {
      const root = rootSchema(crd.spec.names.kind);
      expect(root.properties?.['metadata']).toEqual({ type: 'object' });
      expect(root.properties?.['spec']?.type).toBe('object');
      expect(root.properties?.['status']?.type).toBe('object');
      expect(root.required).toEqual(['spec']);
    }
  });

  it('emits budgets as maps of int-or-string quantities', () => {
    for (const kind of ['Organization', 'Tenant', 'Space']) {
      expect(specSchema(kind).properties?.['resources']).toMatchObject({ type: 'object', default: {}, additionalProperties: QUANTITY });
      expect(specSchema(kind).properties?.['resources']?.description).toBeTypeOf('string');
    }
    const status = rootSchema('Tenant').properties?.['status'];
    expect(status?.properties?.['allocations']?.additionalProperties).toEqual({ type: 'object', additionalProperties: QUANTITY });
    expect(status?.properties?.['usage']?.properties?.['hard']?.additionalProperties).toEqual(QUANTITY);
  });

  it('keeps enums, defaults, required fields and descriptions', () => {
    const space = specSchema('Space');
    expect(space.properties?.['sandbox']).toMatchObject({ type: 'string', enum: ['gvisor', 'none'], default: 'gvisor' });
    expect(space.properties?.['sandbox']?.description).toContain('gVisor');
    expect(space.properties?.['displayName']).toEqual({ type: 'string', maxLength: 256 });
    expect(space.properties?.['members']?.items).toMatchObject({ required: ['kind', 'name', 'role'] });
    expect(space.properties?.['members']?.items?.properties?.['name']).toMatchObject({ minLength: 1 });
    expect(space.required).toBeUndefined();
  });

  it('has printer columns that point at fields the schema defines', () => {
    for (const crd of crds) {
      const version = crd.spec.versions[0];
      const columns = version?.additionalPrinterColumns ?? [];
      expect(columns.length).toBeGreaterThanOrEqual(4);
      expect(columns.length).toBeLessThanOrEqual(6);
      for (const column of columns) {
        const target = columnTarget(rootSchema(crd.spec.names.kind), column.jsonPath);
        expect(target, `${crd.metadata.name} ${column.name}`).toBeDefined();
        expect(target?.type).toBe(column.type === 'date' ? 'string' : column.type);
      }
    }
    expect(byKind('Space').spec.versions[0]?.additionalPrinterColumns.map((c) => c.name)).toEqual([
      'Phase',
      'Space Namespace',
      'Sandbox',
      'Pod Security',
      'Ready',
      'Age',
    ]);
  });

  it('matches the reviewed Space CRD', async () => {
    await expect(stringify(byKind('Space'))).toMatchFileSnapshot('./__snapshots__/space.crd.yaml');
  });
});

const QUANTITIES = fc.oneof(fc.constantFrom('500m', '1', '1.5Gi', '128Mi', '0', '1e3', '2k'), fc.nat({ max: 1024 }));
const RESOURCE_NAMES = fc.constantFrom(
  'cpu',
  'memory',
  'pods',
  'limits.cpu',
  'requests.storage',
  'count/deployments.apps',
  'requests.nvidia.com/gpu',
);
const resources = fc.dictionary(RESOURCE_NAMES, QUANTITIES, { maxKeys: 4 });
const member = fc.oneof(
  fc.record({
    kind: fc.constantFrom('User' as const, 'Group' as const),
    name: fc.string({ minLength: 1, maxLength: 8 }),
    role: fc.constantFrom(...SPACE_ROLES),
  }),
  fc.record({
    kind: fc.constant('ServiceAccount' as const),
    name: fc.constantFrom('deployer', 'ci'),
    namespace: fc.constantFrom('ci', 'tools'),
    role: fc.constantFrom(...SPACE_ROLES),
  }),
);
const spaceSpecs: fc.Arbitrary<SpaceSpecInput> = fc.record(
  {
    displayName: fc.string({ maxLength: 256 }),
    resources,
    containerDefaults: fc.record({ request: resources, limit: resources }, { requiredKeys: [] }),
    sandbox: fc.constantFrom('gvisor' as const, 'none' as const),
    podSecurity: fc.constantFrom('restricted' as const, 'baseline' as const, 'privileged' as const),
    network: fc.record(
      {
        preset: fc.constantFrom('isolated' as const, 'tenant' as const, 'organization' as const),
        allowFrom: fc.array(fc.constantFrom('payments/dev', 'team-a/web'), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    ),
    members: fc.array(member, { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

describe('the Space CRD and the SDK agree', () => {
  it('accepts every valid spec, as written and as parsed, and prunes none of its fields', () => {
    const schema = specSchema('Space');
    fc.assert(
      fc.property(spaceSpecs, (input) => {
        const parsed = SpaceSpecSchema.safeParse(input);
        fc.pre(parsed.success);
        expect(validate(input, schema)).toEqual([]);
        expect(validate(parsed.data, schema)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps every key path of hand-written specs', () => {
    const examples: SpaceSpecInput[] = [
      {},
      { resources: { 'requests.cpu': '2', 'limits.memory': '4Gi', pods: 20 }, sandbox: 'none' },
      {
        members: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'tools', role: 'developer' }],
        network: { preset: 'tenant', allowFrom: ['a/b'] },
      },
    ];
    for (const example of examples) expect(validate(SpaceSpecSchema.parse(example), specSchema('Space'))).toEqual([]);
    expect(validate(OrganizationSpecSchema.parse({ policy: { allowPrivileged: true } }), specSchema('Organization'))).toEqual([]);
    expect(validate(TenantSpecSchema.parse({ resources: { cpu: 4 } }), specSchema('Tenant'))).toEqual([]);
  });

  it('reports a field the SDK does not know, so the checks above can fail', () => {
    expect(validate({ sandbox: 'gvisor', extra: 1 }, specSchema('Space'))).toEqual(['.extra: unknown field, would be pruned']);
  });

  // Known gap: zod accepts a fractional number, int-or-string does not; the SDK must send such a quantity as a string.
  it('rejects fractional numeric quantities that zod accepts', () => {
    expect(SpaceSpecSchema.safeParse({ resources: { cpu: 0.5 } }).success).toBe(true);
    expect(validate({ resources: { cpu: 0.5 } }, specSchema('Space'))).toEqual(['.resources.cpu: 0.5 is not an integer or a string']);
  });
});

describe('the metered-usage CRDs', () => {
  const usage = all.filter((crd) => !(crd.spec.names.kind in KINDS));

  it('are SpaceUsage in a namespace and MeterCoverage cluster-wide, without a status subresource (nothing but the meter writes them)', () => {
    expect(usage.map((crd) => [crd.metadata.name, crd.spec.scope, crd.spec.versions[0]?.subresources])).toEqual([
      ['spaceusages.spacekit.dev', 'Namespaced', undefined],
      ['metercoverages.spacekit.dev', 'Cluster', undefined],
    ]);
  });

  it('hold integrals as whole-number strings, so that the API server refuses a float or a negative', () => {
    const spec = specSchema('SpaceUsage');
    const bucket = spec.properties?.['buckets']?.items;
    expect(bucket?.properties?.['integrals']?.additionalProperties).toEqual({ type: 'string', pattern: '^\\d+$' });
    expect(spec.properties?.['buckets']?.maxItems).toBe(MAX_BUCKETS_PER_OBJECT);
  });
});
