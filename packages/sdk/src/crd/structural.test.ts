import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { QuantitySchema, ResourceListSchema } from '../quantity/index.ts';
import { zodToStructural } from './from-zod.ts';
import { QUANTITY_PATTERN } from './quantity.ts';
import { toStructuralSchema } from './structural.ts';
import { structuralProblems } from './testing/structural-rules.ts';

const INT_OR_STRING = {
  anyOf: [{ type: 'integer' }, { type: 'string' }],
  pattern: QUANTITY_PATTERN,
  'x-kubernetes-int-or-string': true,
};

describe('toStructuralSchema', () => {
  it('drops additionalProperties: false and annotation-only keywords, keeping validation', () => {
    const schema = toStructuralSchema({
      $schema: 'http://json-schema.org/draft-04/schema#',
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 63, description: 'The name', examples: ['a'], readOnly: true },
        count: { type: 'integer', minimum: 0, default: 1 },
      },
    });
    expect(schema).toEqual({
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', description: 'The name', minLength: 1, maxLength: 63 },
        count: { type: 'integer', default: 1, minimum: 0 },
      },
    });
  });

  it('turns const into a one-value enum and a schema without constraints into preserve-unknown-fields', () => {
    expect(toStructuralSchema({ type: 'string', const: 'x' })).toEqual({ type: 'string', enum: ['x'] });
    expect(toStructuralSchema({ description: 'anything' })).toEqual({
      description: 'anything',
      'x-kubernetes-preserve-unknown-fields': true,
    });
  });

  it('inlines $ref, including the allOf wrapper OpenAPI 3.0 puts around a described $ref', () => {
    const schema = toStructuralSchema({
      type: 'object',
      properties: { a: { $ref: '#/$defs/Name' }, b: { description: 'b', allOf: [{ $ref: '#/definitions/Name' }] } },
      $defs: { Name: { type: 'string', minLength: 1 } },
      definitions: { Name: { type: 'string', minLength: 2 } },
    });
    expect(schema.properties).toEqual({ a: { type: 'string', minLength: 1 }, b: { type: 'string', description: 'b', minLength: 2 } });
  });

  it('inlines schemas zod extracts because they carry an id', () => {
    const Named = z.strictObject({ x: z.string() }).meta({ id: 'CrdTestNamed' });
    const schema = zodToStructural(z.strictObject({ one: Named, two: Named.optional().meta({ description: 'again' }) }));
    expect(structuralProblems(schema)).toEqual([]);
    expect(schema.properties?.['two']).toMatchObject({ type: 'object', description: 'again', properties: { x: { type: 'string' } } });
  });

  it.each([
    ['a union', { anyOf: [{ type: 'string' }, { type: 'number' }] }, 'a union cannot be expressed'],
    ['a type list', { type: ['string', 'null'] }, 'cannot be expressed'],
    ['an intersection', { allOf: [{ type: 'object' }, { type: 'object' }] }, 'allOf'],
    ['a tuple', { type: 'array', items: [{ type: 'string' }] }, 'tuples'],
    [
      'properties with a value schema',
      { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } },
      'both',
    ],
    [
      'a recursive ref',
      { $ref: '#/$defs/Node', $defs: { Node: { type: 'object', properties: { next: { $ref: '#/$defs/Node' } } } } },
      'recursive',
    ],
    ['an unknown keyword', { type: 'string', oneOf: [] }, '"oneOf"'],
    ['an untyped constraint', { enum: ['a'] }, 'needs a type'],
  ])('refuses %s', (_name, schema, message) => {
    expect(() => toStructuralSchema(schema)).toThrow(message);
  });

  it('names the path it cannot express', () => {
    expect(() => toStructuralSchema({ type: 'object', properties: { a: { type: 'array', items: { anyOf: [] } } } })).toThrow(
      'properties.a.items: a union',
    );
  });
});

describe('zodToStructural', () => {
  it('emits a quantity like ResourceQuota does, and a resource list as a map of them', () => {
    expect(zodToStructural(QuantitySchema)).toEqual(INT_OR_STRING);
    expect(zodToStructural(ResourceListSchema)).toEqual({ type: 'object', additionalProperties: INT_OR_STRING });
  });

  it('keeps a description added to a quantity', () => {
    expect(zodToStructural(QuantitySchema.meta({ description: 'cpu' }))).toEqual({ description: 'cpu', ...INT_OR_STRING });
  });

  it('refuses a string-or-number union that is not a quantity', () => {
    expect(() => zodToStructural(z.union([z.string(), z.number()]))).toThrow('a union cannot be expressed');
  });

  it('describes the input: defaulted fields are optional and carry the default', () => {
    const schema = zodToStructural(z.strictObject({ a: z.string().default('x'), b: z.string() }));
    expect(schema).toEqual({ type: 'object', required: ['b'], properties: { a: { type: 'string', default: 'x' }, b: { type: 'string' } } });
  });

  it('maps open-ended values to preserve-unknown-fields', () => {
    expect(zodToStructural(z.record(z.string(), z.unknown()))).toEqual({
      type: 'object',
      additionalProperties: { 'x-kubernetes-preserve-unknown-fields': true },
    });
    expect(zodToStructural(z.looseObject({ a: z.string() }))).toMatchObject({ 'x-kubernetes-preserve-unknown-fields': true });
  });
});
