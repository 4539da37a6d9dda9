import { z } from 'zod';
import { QUANTITY_EXAMPLES, QuantityError } from './errors.ts';
import { parseQuantity } from './parse.ts';
import { duplicateProblem, negativeProblem } from './resource-list.ts';
import { resourceNameProblem } from './resource-name.ts';

/**
 * A non-negative Kubernetes quantity, as a string (`500m`, `1.5Gi`) or a number (`2`).
 *
 * Validates with {@link parseQuantity}, so messages match the ones the SDK throws.
 * The value passes through unchanged, keeping documents serializable; convert it
 * with {@link parseQuantity} when doing arithmetic.
 */
export const QuantitySchema = z
  // z.number() would refuse NaN and Infinity with a generic message before parseQuantity could say why.
  .custom<string | number>((value) => typeof value === 'string' || typeof value === 'number', {
    error: `expected a quantity as a string or a number; ${QUANTITY_EXAMPLES}`,
  })
  .superRefine((value, context) => {
    let milli: bigint;
    try {
      milli = parseQuantity(value);
    } catch (error) {
      if (error instanceof QuantityError) {
        context.addIssue({ code: 'custom', message: error.message });
        return;
      }
      throw error;
    }
    if (milli < 0n) {
      context.addIssue({ code: 'custom', message: negativeProblem(value) });
    }
  });

/**
 * A budget in ResourceQuota syntax: resource name → {@link QuantitySchema}.
 *
 * Names must be ones ResourceQuota accepts (`cpu`, `requests.memory`, `limits.cpu`,
 * `services.nodeports`, `count/deployments.apps`, `requests.nvidia.com/gpu`), and
 * one resource may not appear under two names (`cpu` and `requests.cpu`), since a
 * budget would otherwise count it twice.
 */
export const ResourceListSchema = z.record(z.string(), QuantitySchema).superRefine((list, context) => {
  const names = Object.keys(list);
  for (const [index, name] of names.entries()) {
    const nameProblem = resourceNameProblem(name);
    if (nameProblem !== undefined) {
      context.addIssue({ code: 'custom', message: nameProblem, path: [name] });
      continue;
    }
    const duplicate = names
      .slice(0, index)
      .map((earlier) => duplicateProblem(earlier, name))
      .find((problem) => problem !== undefined);
    if (duplicate !== undefined) {
      context.addIssue({ code: 'custom', message: duplicate, path: [name] });
    }
  }
});
