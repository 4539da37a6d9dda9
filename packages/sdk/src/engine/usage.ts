import type { Status } from '../model/index.ts';
import { formatResourceList, parseResourceList, sumResourceLists } from '../quantity/index.ts';

/**
 * The sum of children's `status.usage.used`, per resource, in canonical
 * keys. A child whose status cannot be read (written by a newer version, say)
 * counts as nothing rather than failing its parent's reconcile.
 */
export function sumUsed(children: readonly { status?: Status | undefined }[]): Record<string, string> {
  const lists = children.flatMap((c) => {
    try {
      return [parseResourceList(c.status?.usage?.used ?? {})];
    } catch {
      return [];
    }
  });
  return formatResourceList(sumResourceLists(lists));
}

/** Per resource, whether `held` exceeds `budget`; names what is over, for an Overcommitted condition. */
export function overBudget(budget: Record<string, string | number>, held: Record<string, string | number>): string[] {
  const b = parseResourceList(budget);
  const h = parseResourceList(held);
  return [...b].filter(([name, limit]) => (h.get(name) ?? 0n) > limit).map(([name]) => name);
}
