import type { StructuralSchema } from '../types.ts';

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

function scalarProblems(value: unknown, schema: StructuralSchema, path: string): string[] {
  const problems: string[] = [];
  if (schema.enum !== undefined && !schema.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) {
    problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (typeof value === 'string') {
    // The API server counts characters, not UTF-16 units.
    const length = [...value].length;
    if (schema.minLength !== undefined && length < schema.minLength) problems.push(`${path}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && length > schema.maxLength) problems.push(`${path}: longer than ${schema.maxLength}`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) problems.push(`${path}: does not match ${schema.pattern}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${path}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${path}: above ${schema.maximum}`);
  }
  return problems;
}

function objectProblems(value: Record<string, unknown>, schema: StructuralSchema, path: string): string[] {
  const problems: string[] = [];
  for (const name of schema.required ?? []) if (!(name in value)) problems.push(`${path}.${name}: required`);
  for (const [key, child] of Object.entries(value)) {
    const childSchema = schema.properties?.[key] ?? schema.additionalProperties;
    if (childSchema !== undefined) problems.push(...validate(child, childSchema, `${path}.${key}`));
    else if (schema['x-kubernetes-preserve-unknown-fields'] !== true) problems.push(`${path}.${key}: unknown field, would be pruned`);
  }
  return problems;
}

/**
 * How the API server would treat `value` under a structural `schema`: each
 * validation failure and each field pruning would drop. A small model of the
 * server for tests, covering only the keywords Spacekit's CRDs use.
 */
export function validate(value: unknown, schema: StructuralSchema, path = ''): string[] {
  if (value === null && schema.nullable === true) return [];
  if (schema['x-kubernetes-int-or-string'] === true) {
    if (typeOf(value) !== 'integer' && typeof value !== 'string')
      return [`${path}: ${JSON.stringify(value)} is not an integer or a string`];
    return scalarProblems(value, schema, path);
  }
  if (schema.type === undefined) return [];
  if (!matchesType(value, schema.type)) return [`${path}: ${JSON.stringify(value)} is not of type ${schema.type}`];
  if (Array.isArray(value)) {
    return schema.items === undefined ? [] : value.flatMap((item, index) => validate(item, schema.items ?? {}, `${path}[${index}]`));
  }
  if (typeof value === 'object' && value !== null) return objectProblems(value as Record<string, unknown>, schema, path);
  return scalarProblems(value, schema, path);
}
