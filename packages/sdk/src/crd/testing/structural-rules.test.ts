import { describe, expect, it } from 'vitest';
import type { StructuralSchema } from '../types.ts';
import { structuralProblems } from './structural-rules.ts';

// The checker guards the generated CRDs, so it must itself catch each broken rule.
describe('structuralProblems', () => {
  it.each<[string, unknown, string]>([
    ['a missing type', { properties: {} }, 'no type'],
    ['a $ref', { type: 'object', properties: { a: { $ref: '#/x' } } }, 'forbidden keyword $ref'],
    ['additionalProperties: false', { type: 'object', additionalProperties: false }, 'not a schema'],
    ['properties beside additionalProperties', { type: 'object', properties: {}, additionalProperties: { type: 'string' } }, 'both'],
    [
      'a typed anyOf branch with metadata',
      { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer', description: 'x' }, { type: 'string' }] },
      'carries',
    ],
    ['anyOf outside int-or-string', { type: 'string', anyOf: [{ minLength: 1 }] }, 'outside'],
    ['a default that would be pruned', { type: 'object', default: { a: 1 }, properties: {} }, 'would be pruned'],
    ['a default of the wrong type', { type: 'string', default: 1 }, 'not of type string'],
    ['const', { type: 'string', const: 'a' }, 'forbidden keyword const'],
    ['an unknown required field', { type: 'object', required: ['a'], properties: {} }, 'requires unknown'],
    ['a described metadata', { type: 'object', properties: { metadata: { type: 'object', description: 'x' } } }, '.metadata'],
  ])('flags %s', (_name, schema, problem) => {
    expect(structuralProblems(schema as StructuralSchema).join('\n')).toContain(problem);
  });

  it('accepts the quantity schema Kubernetes uses', () => {
    const quantity = { anyOf: [{ type: 'integer' }, { type: 'string' }], pattern: '^[0-9]+$', 'x-kubernetes-int-or-string': true };
    expect(structuralProblems({ type: 'object', additionalProperties: quantity } as StructuralSchema)).toEqual([]);
  });
});
