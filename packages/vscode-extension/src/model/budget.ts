import { budgetShortfalls, freeBudget, humanAmount, parseResourceList } from '@spacekit/sdk';
import { milli, shortName, SUMMARY_RESOURCES } from './usage.ts';

/** Resource → exact milli-units, keyed by the SDK's canonical names (`requests.cpu`). */
export type Amounts = ReadonlyMap<string, bigint>;

function amounts(list: Readonly<Record<string, string | number>> | undefined): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const [resource, value] of Object.entries(list ?? {})) {
    const m = milli(String(value));
    if (m !== undefined) out.set(resource, m);
  }
  return out;
}

/**
 * What a tenant has left for a new Space: its effective budget minus what its
 * Spaces hold. For a resize, pass the Space's current allocation as `own`: it
 * is given back before the new size is counted. Never below zero.
 */
export function remainingBudget(
  budget: Readonly<Record<string, string | number>> | undefined,
  allocated: Readonly<Record<string, string | number>> | undefined,
  own?: Readonly<Record<string, string | number>>,
): Map<string, bigint> {
  return freeBudget(amounts(budget), amounts(allocated), own ? parseResourceList(own) : undefined);
}

/** `cpu 2 · mem 4Gi`: the CPU and memory of a list of amounts, for prompts. */
export function describeAmounts(list: Amounts): string {
  const parts = SUMMARY_RESOURCES.filter((r) => list.has(r)).map((r) => `${shortName(r)} ${humanAmount(r, list.get(r))}`);
  return parts.join(' · ') || 'no budget';
}

/** One resource a request asks more of than is free. */
export interface Shortfall {
  resource: string;
  requested: string;
  free: string;
}

/**
 * The resources `requested` asks more of than `free` has. Resources the
 * tenant does not budget are not limited by it, as in the SDK's ledger.
 *
 * @throws the SDK's ResourceListError for a request that is not a resource list; validate first.
 */
export function shortfalls(requested: Readonly<Record<string, string | number>>, free: Amounts): Shortfall[] {
  return budgetShortfalls(parseResourceList(requested), free).map(({ resource, requested: asked, free: left }) => ({
    resource,
    requested: humanAmount(resource, asked),
    free: humanAmount(resource, left),
  }));
}

/** Says why a size is refused and what would fit, as the create and resize flows show it. */
export function shortfallMessage(found: readonly Shortfall[], owner: string): string {
  const parts = found.map((s) => `${shortName(s.resource)} ${s.requested} asked, ${s.free} free`);
  return `Too big for ${owner}: ${parts.join('; ')}. Choose a smaller size, or ask the Organization's admins to raise the Tenant's budget.`;
}

/** What would be left of `free` after `requested`, per resource `free` bounds, never below zero. */
export function leftAfter(free: Amounts, requested: Readonly<Record<string, string | number>>): Map<string, bigint> {
  return freeBudget(free, parseResourceList(requested));
}
