import { humanAmount, orderResources, parseQuantity, PRIMARY_RESOURCES, type TreeNode } from '@spacekit/sdk';

/** Resources worth a place in a one-line summary, in this order. The tooltip and dashboard show every resource. */
export const SUMMARY_RESOURCES = PRIMARY_RESOURCES;

const SHORT_NAMES: Record<string, string> = {
  'requests.cpu': 'cpu',
  'requests.memory': 'mem',
  'requests.storage': 'storage',
  'requests.ephemeral-storage': 'ephemeral',
  'limits.cpu': 'cpu limit',
  'limits.memory': 'mem limit',
};

/** `requests.cpu` → `cpu`, `requests.memory` → `mem`; other names as they are. */
export function shortName(resource: string): string {
  return SHORT_NAMES[resource] ?? resource;
}

/** Exact milli-units of a quantity, or undefined when it is missing or unreadable. */
export function milli(value: string | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  try {
    return parseQuantity(value);
  } catch {
    return undefined;
  }
}

const UNIT = /[A-Za-z]+$/;

/**
 * `used/budget` for one resource, with the unit said once when both share it:
 * `3/8Gi`, `500m/1`, `256Mi/1Gi`. A missing budget reads `∞`.
 */
export function fraction(resource: string, used: string | undefined, budget: string | undefined): string {
  const top = humanAmount(resource, used);
  if (budget === undefined) return `${top}/∞`;
  const bottom = humanAmount(resource, budget);
  const unit = UNIT.exec(bottom)?.[0];
  // `m` is a magnitude for CPU, not a unit both sides share in the reader's eye (`500m/800m` stays as is).
  if (unit !== undefined && unit !== 'm' && top.endsWith(unit)) {
    const stripped = top.slice(0, -unit.length);
    if (/^[\d.]+$/.test(stripped)) return `${stripped}/${bottom}`;
  }
  return `${top}/${bottom}`;
}

/**
 * The usage summary a tree row and the status bar show: what workloads use
 * against the budget (a Space's quota), for CPU and memory, such as
 * `cpu 1.2/4 · mem 3/8Gi`. Empty when neither is budgeted nor used.
 */
export function usageSummary(node: Pick<TreeNode, 'budget' | 'used'>): string {
  const parts: string[] = [];
  for (const resource of SUMMARY_RESOURCES) {
    const budget = node.budget[resource];
    const used = node.used[resource];
    if (budget === undefined && (used === undefined || milli(used) === 0n)) continue;
    parts.push(`${shortName(resource)} ${fraction(resource, used, budget)}`);
  }
  return parts.join(' · ');
}

/** One resource of one node, as numbers and as text, for the tooltip and the dashboard. */
export interface ResourceRow {
  resource: string;
  /** `cpu`, `mem`, `pods`. */
  label: string;
  used: string;
  /** Parents only: what their children hold. */
  allocated?: string;
  /** Undefined when this level does not bound the resource. */
  budget?: string;
  /** What is left: a Space's quota minus its use, a parent's budget minus what its children hold. */
  free?: string;
  usedMilli: bigint;
  allocatedMilli?: bigint;
  budgetMilli?: bigint;
  /** Use or allocation above the budget. */
  over: boolean;
}

/** No budget, or a budget of zero. */
function noBound(value: string | undefined): boolean {
  const m = milli(value);
  return m === undefined || m === 0n;
}

/**
 * Every resource the node budgets, uses or allocates, CPU and memory first.
 * Resources without a bound (or capped at zero) that nothing uses or holds,
 * such as NodePorts and LoadBalancers by default, are left out: a row of
 * zeros says nothing.
 */
export function resourceRows(node: Pick<TreeNode, 'kind' | 'budget' | 'used' | 'allocated'>): ResourceRow[] {
  const names = new Set([...Object.keys(node.budget), ...Object.keys(node.used), ...Object.keys(node.allocated ?? {})]);
  const ordered = orderResources(names);
  const rows: ResourceRow[] = [];
  for (const resource of ordered) {
    const budget = node.budget[resource];
    const usedMilli = milli(node.used[resource]) ?? 0n;
    const allocatedMilli = node.kind === 'Space' ? undefined : (milli(node.allocated?.[resource]) ?? 0n);
    if (noBound(budget) && usedMilli === 0n && !allocatedMilli) continue;
    const budgetMilli = milli(budget);
    const held = allocatedMilli ?? usedMilli;
    const over = budgetMilli !== undefined && (usedMilli > budgetMilli || (allocatedMilli ?? 0n) > budgetMilli);
    rows.push({
      resource,
      label: shortName(resource),
      used: humanAmount(resource, usedMilli),
      ...(allocatedMilli !== undefined && { allocated: humanAmount(resource, allocatedMilli) }),
      ...(budget !== undefined && { budget: humanAmount(resource, budget) }),
      ...(budgetMilli !== undefined && { free: humanAmount(resource, budgetMilli > held ? budgetMilli - held : 0n) }),
      usedMilli,
      ...(allocatedMilli !== undefined && { allocatedMilli }),
      ...(budgetMilli !== undefined && { budgetMilli }),
      over,
    });
  }
  return rows;
}

/** The resources on which a node uses or hands out more than its budget. */
export function overBudget(node: Pick<TreeNode, 'kind' | 'budget' | 'used' | 'allocated'>): string[] {
  return resourceRows(node)
    .filter((row) => row.over)
    .map((row) => row.label);
}
