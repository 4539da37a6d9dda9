import type { StructuralSchema } from '../types.ts';
import { validate } from './validate.ts';

const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);

// The JSONSchemaProps fields a structural schema may use; everything else (`$ref`, `$schema`,
// `definitions`, `const`, `allOf`, `oneOf`, `not`, `uniqueItems`, ...) is a problem. Written out
// apart from crd/structural.ts on purpose: the rules a test checks by must not come from the code under test.
const ALLOWED = new Set([
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'default',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'required',
  'properties',
  'additionalProperties',
  'items',
  'anyOf',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
]);

// Inside anyOf only validation is allowed; int-or-string additionally allows its two bare type branches.
const NOT_IN_BRANCHES = [
  'type',
  'description',
  'title',
  'default',
  'nullable',
  'additionalProperties',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function anyOfProblems(node: Record<string, unknown>, path: string): string[] {
  const anyOf = node['anyOf'];
  if (anyOf === undefined) return [];
  if (node['x-kubernetes-int-or-string'] !== true) return [`${path}: anyOf outside an int-or-string node`];
  const types = Array.isArray(anyOf) ? anyOf.map((branch: unknown) => (isObject(branch) ? branch['type'] : undefined)) : [];
  const problems = types.join() === 'integer,string' ? [] : [`${path}: int-or-string anyOf must be [{type: integer}, {type: string}]`];
  for (const [index, branch] of (Array.isArray(anyOf) ? anyOf : []).entries()) {
    if (!isObject(branch)) continue;
    const extra = Object.keys(branch).filter((key) => key !== 'type' && NOT_IN_BRANCHES.includes(key));
    if (extra.length > 0 || Object.keys(branch).length !== 1)
      problems.push(`${path}.anyOf[${index}]: carries ${Object.keys(branch).join(', ')}`);
  }
  return problems;
}

function nodeProblems(node: unknown, path: string): string[] {
  if (!isObject(node)) return [`${path}: not a schema`];
  const problems: string[] = [];
  for (const key of Object.keys(node)) if (!ALLOWED.has(key)) problems.push(`${path}: forbidden keyword ${key}`);
  const intOrString = node['x-kubernetes-int-or-string'] === true;
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  const type = node['type'];
  if (type === undefined && !intOrString && !preserve) problems.push(`${path}: no type`);
  if (type !== undefined && (typeof type !== 'string' || !TYPES.has(type))) problems.push(`${path}: bad type ${JSON.stringify(type)}`);
  if (intOrString && type !== undefined) problems.push(`${path}: int-or-string with a type`);
  problems.push(...anyOfProblems(node, path));

  const { properties, additionalProperties, items, required } = node;
  if (properties !== undefined && additionalProperties !== undefined) problems.push(`${path}: both properties and additionalProperties`);
  if ((properties !== undefined || additionalProperties !== undefined) && type !== 'object')
    problems.push(`${path}: object keywords without type object`);
  if (additionalProperties !== undefined && !isObject(additionalProperties)) problems.push(`${path}: additionalProperties is not a schema`);
  if ((items === undefined) !== (type !== 'array')) problems.push(`${path}: items and type array must go together`);
  if (Array.isArray(required)) {
    const names = isObject(properties) ? Object.keys(properties) : [];
    for (const name of required) if (!names.includes(String(name))) problems.push(`${path}: requires unknown property ${String(name)}`);
  }
  if ('default' in node) {
    // Pruned-valid: the default must survive pruning unchanged and pass validation.
    problems.push(...validate(node['default'], node as StructuralSchema, `${path}.default`));
  }
  const { enum: values, ...rest } = node;
  if (Array.isArray(values)) {
    for (const value of values) problems.push(...validate(value, rest as StructuralSchema, `${path}.enum`));
  }

  if (isObject(properties))
    for (const [name, child] of Object.entries(properties)) problems.push(...nodeProblems(child, `${path}.${name}`));
  if (isObject(additionalProperties)) problems.push(...nodeProblems(additionalProperties, `${path}[*]`));
  if (items !== undefined) problems.push(...nodeProblems(items, `${path}[]`));
  return problems;
}

/**
 * Every way `schema` breaks the Kubernetes structural schema rules, as readable
 * strings; empty when it is structural. `metadata` at the root must be plain
 * `{ type: object }`, since the API server owns its schema.
 */
export function structuralProblems(schema: StructuralSchema): string[] {
  const problems = nodeProblems(schema, '');
  const metadata = schema.properties?.['metadata'];
  if (metadata !== undefined && JSON.stringify(metadata) !== '{"type":"object"}') problems.push('.metadata: must be {type: object}');
  return problems;
}
