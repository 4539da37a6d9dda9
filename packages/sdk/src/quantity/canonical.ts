import { formatForResource } from './format.ts';
import { parseQuantity } from './parse.ts';
import { formatResourceList, parseResourceList } from './resource-list.ts';

type ResourceMap = Readonly<Record<string, string | number>>;

/**
 * A resource list in canonical quota keys (`cpu` → `requests.cpu`) and canonical quantities, keys sorted,
 * so that two spellings of one budget compare equal and re-renders match what the apiserver stores.
 *
 * @param path where the list sits in the user's document, to prefix messages with.
 * @throws {ResourceListError} for a list {@link parseResourceList} refuses.
 */
export function canonicalResources(list: ResourceMap, path = 'resources'): Record<string, string> {
  return formatResourceList(parseResourceList(list, { path }));
}

/**
 * Quantities as canonical strings, keeping the caller's resource names and order: the CRD's
 * int-or-string type admits only whole numbers, and `0.5` cpu must be stored as `500m`. A
 * LimitRange's values, stored this way, compare equal to what the apiserver keeps.
 *
 * @throws {QuantityError} for a value that is not a quantity.
 */
export function quantitiesAsStrings(list: ResourceMap): Record<string, string> {
  return Object.fromEntries(Object.entries(list).map(([name, value]) => [name, formatForResource(name, parseQuantity(value))]));
}

/** True when both lists name the same resources with equal quantities, whatever their spelling; two missing lists are the same. */
export function sameResources(a: ResourceMap | undefined, b: ResourceMap | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const x = parseResourceList(a);
  const y = parseResourceList(b);
  return x.size === y.size && [...x].every(([name, q]) => y.get(name) === q);
}

/** The resources people look at first, in the order columns and summaries show them. */
export const PRIMARY_RESOURCES = ['requests.cpu', 'requests.memory'] as const;

/** Resource names in display order: {@link PRIMARY_RESOURCES} first, the rest sorted. */
export function orderResources(names: Iterable<string>): string[] {
  const all = new Set(names);
  const primary: readonly string[] = PRIMARY_RESOURCES;
  return [...primary.filter((r) => all.has(r)), ...[...all].filter((r) => !primary.includes(r)).sort()];
}
