import type { StructuralSchema } from './types.ts';

/** A JSON Schema (OpenAPI 3.0 flavour) as `z.toJSONSchema` produces it. */
export type JsonSchema = { readonly [keyword: string]: unknown };

// Output key order, fixed so generated manifests do not depend on zod's key order.
const ORDER = [
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
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'required',
  'properties',
  'additionalProperties',
  'items',
  'anyOf',
  'pattern',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
];

// Handled by the conversion itself rather than copied.
const STRUCTURAL = new Set(['properties', 'additionalProperties', 'items', 'anyOf', 'const', '$ref', 'allOf']);

// Copied unchanged: every ordered keyword the conversion does not handle itself.
const KEPT = new Set(ORDER.filter((key) => !STRUCTURAL.has(key)));

/**
 * Dropped: annotations Kubernetes has no field for, the definitions refs were
 * resolved from, and `propertyNames`, which the API server cannot check and
 * the SDK already does.
 */
const DROPPED = new Set([
  '$schema',
  '$id',
  'id',
  '$comment',
  '$defs',
  'definitions',
  'examples',
  'readOnly',
  'writeOnly',
  'deprecated',
  'propertyNames',
]);

// A schema with none of these accepts any value, which structural schemas spell as preserve-unknown-fields.
const CONSTRAINTS = new Set(['type', 'enum', 'const', 'properties', 'additionalProperties', 'items', 'anyOf', '$ref', 'allOf']);

class StructuralSchemaError extends Error {
  constructor(path: readonly string[], problem: string) {
    super(`${path.length === 0 ? '(root)' : path.join('.')}: ${problem}`);
    this.name = 'StructuralSchemaError';
  }
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lookup(root: JsonSchema, ref: string, path: readonly string[]): JsonSchema {
  const match = /^#\/(\$defs|definitions)\/([^/]+)$/.exec(ref);
  const defs = match?.[1] === undefined ? undefined : root[match[1]];
  const target = isSchema(defs) && match?.[2] !== undefined ? defs[decodeURIComponent(match[2])] : ref === '#' ? root : undefined;
  if (!isSchema(target)) throw new StructuralSchemaError(path, `cannot resolve $ref "${ref}"`);
  return target;
}

/** Inlines `$ref` and the one-element `allOf` that OpenAPI 3.0 wraps a described `$ref` in. */
function inline(root: JsonSchema, node: JsonSchema, path: readonly string[], refs: readonly string[]): [JsonSchema, string[]] {
  const { $ref, allOf, ...siblings } = node;
  if (allOf !== undefined) {
    if (!Array.isArray(allOf) || allOf.length !== 1 || !isSchema(allOf[0])) {
      throw new StructuralSchemaError(path, 'allOf (an intersection) cannot be expressed; use one object schema');
    }
    return inline(root, { ...allOf[0], ...siblings, ...($ref === undefined ? {} : { $ref }) }, path, refs);
  }
  if ($ref === undefined) return [node, [...refs]];
  if (typeof $ref !== 'string') throw new StructuralSchemaError(path, '$ref is not a string');
  // Structural schemas are finite trees; a recursive type would need preserve-unknown-fields instead.
  if (refs.includes($ref)) throw new StructuralSchemaError(path, `recursive $ref "${$ref}" cannot be expressed`);
  return inline(root, { ...lookup(root, $ref, path), ...siblings }, path, [...refs, $ref]);
}

function intOrStringBranches(anyOf: unknown, path: readonly string[]): StructuralSchema[] {
  const types = Array.isArray(anyOf) ? anyOf.map((branch) => (isSchema(branch) ? branch['type'] : undefined)) : [];
  const exact = anyOf === undefined || (types.length === 2 && types.includes('integer') && types.includes('string'));
  const bare = !Array.isArray(anyOf) || anyOf.every((branch) => isSchema(branch) && Object.keys(branch).length === 1);
  if (!exact || !bare) throw new StructuralSchemaError(path, 'x-kubernetes-int-or-string needs anyOf [{type: integer}, {type: string}]');
  return [{ type: 'integer' }, { type: 'string' }];
}

function convert(root: JsonSchema, input: JsonSchema, path: readonly string[], seen: readonly string[]): StructuralSchema {
  const [node, refs] = inline(root, input, path, seen);
  for (const key of Object.keys(node)) {
    if (!KEPT.has(key) && !STRUCTURAL.has(key) && !DROPPED.has(key)) {
      throw new StructuralSchemaError(path, `"${key}" cannot be expressed in a structural schema`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const key of KEPT) if (node[key] !== undefined) out[key] = node[key];
  if (node['const'] !== undefined) out['enum'] = [node['const']];

  const intOrString = node['x-kubernetes-int-or-string'] === true;
  if (intOrString) {
    if (node['type'] !== undefined) throw new StructuralSchemaError(path, 'an int-or-string schema may not have a type');
    out['anyOf'] = intOrStringBranches(node['anyOf'], path);
  } else if (node['anyOf'] !== undefined) {
    throw new StructuralSchemaError(path, 'a union cannot be expressed; only quantities become int-or-string');
  }

  const type = node['type'];
  if (Array.isArray(type) || type === 'null') throw new StructuralSchemaError(path, `type ${JSON.stringify(type)} cannot be expressed`);
  if (type === undefined && !intOrString && node['x-kubernetes-preserve-unknown-fields'] !== true) {
    if (Object.keys(node).some((key) => CONSTRAINTS.has(key))) throw new StructuralSchemaError(path, 'every schema needs a type');
    out['x-kubernetes-preserve-unknown-fields'] = true;
  }

  const properties = node['properties'];
  if (properties !== undefined) {
    if (!isSchema(properties)) throw new StructuralSchemaError(path, 'properties is not an object');
    out['properties'] = Object.fromEntries(
      Object.entries(properties).map(([name, child]) => {
        if (!isSchema(child)) throw new StructuralSchemaError([...path, name], 'not a schema');
        return [name, convert(root, child, [...path, 'properties', name], refs)];
      }),
    );
  }

  const additional = node['additionalProperties'];
  // false is dropped: the API server prunes unknown fields, and the SDK rejects them before sending.
  const open = additional === true || (isSchema(additional) && Object.keys(additional).length === 0);
  if (open && properties !== undefined) {
    out['x-kubernetes-preserve-unknown-fields'] = true;
  } else if (additional === true || isSchema(additional)) {
    if (properties !== undefined) throw new StructuralSchemaError(path, 'properties and additionalProperties cannot both be given');
    out['additionalProperties'] = convert(root, additional === true ? {} : additional, [...path, 'additionalProperties'], refs);
  }

  const items = node['items'];
  if (items !== undefined) {
    if (!isSchema(items)) throw new StructuralSchemaError(path, 'tuples cannot be expressed; use one items schema');
    out['items'] = convert(root, items, [...path, 'items'], refs);
  } else if (type === 'array') {
    throw new StructuralSchemaError(path, 'an array needs an items schema');
  }
  const keys = [...ORDER.filter((key) => key in out), ...Object.keys(out).filter((key) => !ORDER.includes(key))];
  const ordered = Object.fromEntries(keys.map((key) => [key, out[key]]));
  // The keyword checks above establish every field StructuralSchema declares.
  return ordered as StructuralSchema;
}

/**
 * Converts a JSON Schema from `z.toJSONSchema(..., { target: 'openapi-3.0' })` into
 * a Kubernetes structural schema, or throws naming the path it cannot express.
 *
 * Refs are inlined, `additionalProperties: false` and annotation-only keywords are
 * dropped, `const` becomes a one-value `enum`, and a schema with no constraint at
 * all preserves unknown fields. Unions are refused except int-or-string nodes,
 * because a structural schema's `anyOf` may only add validation to one typed node.
 *
 * @param jsonSchema - The generated JSON Schema; left unchanged.
 * @returns A fresh structural schema.
 */
export function toStructuralSchema(jsonSchema: JsonSchema): StructuralSchema {
  return convert(jsonSchema, jsonSchema, [], []);
}
