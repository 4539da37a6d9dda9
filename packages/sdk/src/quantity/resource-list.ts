import type { Quantity } from './arithmetic.ts';
import { QuantityError, ResourceListError, showInput } from './errors.ts';
import { formatForResource } from './format.ts';
import { parseQuantity } from './parse.ts';
import { normalizeResourceName, resourceNameProblem } from './resource-name.ts';

/** Resource name → quantity, in Kubernetes syntax, as in a ResourceQuota's `spec.hard`. */
export type ResourceList = Record<string, string>;

/** Options for {@link parseResourceList}. */
export interface ParseResourceListOptions {
  /** Accept negative quantities, e.g. for deltas; budgets leave this off. Default `false`. */
  readonly allowNegative?: boolean;
  /** Where the list sits in the user's document, to prefix messages with. Default `resources`. */
  readonly path?: string;
}

/**
 * Parses a resource list into exact milli-unit quantities keyed by normalized resource name.
 *
 * Keys go through {@link normalizeResourceName}, so `cpu` comes back as `requests.cpu`.
 * Numbers are accepted as values because YAML turns `pods: 10` into one.
 *
 * @throws {ResourceListError} naming the offending key, as in
 *   `resources.cpu: "-1" is negative; budgets must be zero or more`, when a name is
 *   not a quota resource, a value is not a quantity or is negative, or one resource
 *   is given twice (`cpu` and `requests.cpu`).
 */
export function parseResourceList(
  list: Readonly<Record<string, string | number>>,
  options: ParseResourceListOptions = {},
): Map<string, Quantity> {
  const path = options.path ?? 'resources';
  const result = new Map<string, Quantity>();
  const spelledAs = new Map<string, string>();
  for (const [name, value] of Object.entries(list)) {
    const nameProblem = resourceNameProblem(name);
    if (nameProblem !== undefined) {
      throw new ResourceListError(name, `${path}.${name}: ${nameProblem}`);
    }
    const quantity = parseEntry(path, name, value);
    if (quantity < 0n && options.allowNegative !== true) {
      throw new ResourceListError(name, `${path}.${name}: ${negativeProblem(value)}`);
    }
    const key = normalizeResourceName(name);
    claimKey(spelledAs, key, name, path);
    result.set(key, quantity);
  }
  return result;
}

/** Explains why a negative quantity cannot be a budget. */
export function negativeProblem(value: string | number): string {
  return `${showInput(value)} is negative; budgets must be zero or more`;
}

/**
 * Explains why two names in one list cannot both be kept, or returns `undefined` when they are distinct resources.
 */
export function duplicateProblem(first: string, second: string): string | undefined {
  const key = normalizeResourceName(first);
  if (key !== normalizeResourceName(second)) {
    return undefined;
  }
  const shorthand = key.replace(/^requests\./, '');
  return (
    `${JSON.stringify(first)} and ${JSON.stringify(second)} are both ${key} ` +
    `(ResourceQuota counts ${shorthand} as ${key}); keep only one of them`
  );
}

/**
 * Writes quantities back as a {@link ResourceList}, each in the style conventional for its resource
 * (`1Gi` for memory, `500m` for CPU), with keys sorted so that output is stable.
 */
export function formatResourceList(quantities: ReadonlyMap<string, Quantity>): ResourceList {
  const list: ResourceList = {};
  for (const name of [...quantities.keys()].sort()) {
    list[name] = formatForResource(name, quantities.get(name) ?? 0n);
  }
  return list;
}

/**
 * Adds resource lists per resource, exactly. A resource missing from a list counts as zero.
 *
 * Keys are normalized first, so hand-built maps using `cpu` and `requests.cpu` add up as one resource.
 *
 * @throws {ResourceListError} when one list holds the same resource under two names.
 */
export function sumResourceLists(lists: Iterable<ReadonlyMap<string, Quantity>>): Map<string, Quantity> {
  const total = new Map<string, Quantity>();
  for (const list of lists) {
    const spelledAs = new Map<string, string>();
    for (const [name, quantity] of list) {
      const key = normalizeResourceName(name);
      claimKey(spelledAs, key, name, 'resources');
      total.set(key, (total.get(key) ?? 0n) + quantity);
    }
  }
  return total;
}

function parseEntry(path: string, name: string, value: string | number): Quantity {
  try {
    return parseQuantity(value);
  } catch (error) {
    if (error instanceof QuantityError) {
      throw new ResourceListError(name, `${path}.${name}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

function claimKey(spelledAs: Map<string, string>, key: string, name: string, path: string): void {
  const earlier = spelledAs.get(key);
  if (earlier !== undefined) {
    throw new ResourceListError(name, `${path}: ${duplicateProblem(earlier, name) ?? `${name} is given twice`}`);
  }
  spelledAs.set(key, name);
}
