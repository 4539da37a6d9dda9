import { z } from 'zod';
import { quantityOverride } from './quantity.ts';
import { toStructuralSchema } from './structural.ts';
import type { StructuralSchema } from './types.ts';

/**
 * The structural schema for what a client may send for `schema`.
 *
 * Uses zod's input type: the API server validates manifests as written, and in
 * input mode a field with a `.default()` is optional and carries its `default`,
 * so the server's defaulting fills in what `parse` would. Output mode would list
 * those fields as required and reject a minimal `kubectl apply`. Anything zod
 * cannot represent (transforms, for instance) throws rather than loosening the schema.
 */
export function zodToStructural(schema: z.ZodType): StructuralSchema {
  // The quantity is a z.custom, which JSON Schema cannot express on its own; the override replaces it.
  return toStructuralSchema(
    z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any', override: quantityOverride }),
  );
}
