import type { z } from 'zod';
import { QuantitySchema } from '../quantity/index.ts';

/**
 * The pattern Kubernetes publishes for `resource.Quantity` (as in ResourceQuota's
 * `hard`), verbatim, so the API server accepts exactly the strings it accepts for
 * its own quantities. It is looser than the SDK (it allows a sign); the SDK
 * rejects negative budgets before anything is sent.
 */
export const QUANTITY_PATTERN =
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

type OverrideContext = Parameters<NonNullable<z.core.ToJSONSchemaParams['override']>>[0];

/**
 * A `z.toJSONSchema` override that replaces {@link QuantitySchema}'s `string | number`
 * union with the int-or-string schema Kubernetes uses for quantities.
 *
 * The quantity is found by identity rather than by shape: a `string | number`
 * union is not necessarily a quantity, and the model stays free of CRD-only
 * metadata. The definition is compared, not the instance, because `.meta()` and
 * `.describe()` return clones that share it. Anything else shaped like a union
 * is left for `toStructuralSchema` to reject.
 *
 * `number` becomes `integer` here: int-or-string admits no fractions, so the SDK
 * must send a fractional number such as `0.5` as the string `"500m"` or `"0.5"`.
 */
export function quantityOverride({ zodSchema, jsonSchema }: OverrideContext): void {
  if (zodSchema._zod.def !== QuantitySchema._zod.def) return;
  // Zod reads the same object back when it assembles the result, so it is rewritten in place.
  const target: Record<string, unknown> = jsonSchema;
  for (const key of Object.keys(target)) if (key !== 'description' && key !== 'default') delete target[key];
  Object.assign(target, {
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    pattern: QUANTITY_PATTERN,
    'x-kubernetes-int-or-string': true,
  });
}
