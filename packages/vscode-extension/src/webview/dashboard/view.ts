import type { MeteredReport, TreeNode } from '@spacekit/sdk';
import { levelOf, type Scope, scopeKey } from '../../model/scope.ts';
import { resourceRows, shortName, SUMMARY_RESOURCES, usageSummary } from '../../model/usage.ts';
import { stateOf } from '../../model/viewTree.ts';
import type { BarView, DashboardView, HistoryPoint, ReportPeriod, ReportView } from './protocol.ts';

const STATE_TEXT = {
  ready: 'Ready',
  provisioning: 'Provisioning',
  overBudget: 'Over budget',
  failed: 'Failed',
  terminating: 'Deleting',
  unreadable: 'No access',
} as const;

/** `part` as a percentage of `whole`, to one decimal; undefined without a whole. */
export function percent(part: bigint, whole: bigint | undefined): number | undefined {
  if (whole === undefined) return undefined;
  if (whole === 0n) return part === 0n ? 0 : 100;
  return Number((part * 1000n) / whole) / 10;
}

/** The bars: used, allocated (parents) and budget per resource. */
export function barsOf(node: TreeNode): BarView[] {
  return resourceRows(node).map((row) => {
    const usedPercent = percent(row.usedMilli, row.budgetMilli);
    const allocatedPercent = row.allocatedMilli !== undefined ? percent(row.allocatedMilli, row.budgetMilli) : undefined;
    return {
      resource: row.resource,
      label: row.label,
      used: row.used,
      ...(row.allocated !== undefined && { allocated: row.allocated }),
      ...(row.budget !== undefined && { budget: row.budget }),
      ...(row.free !== undefined && { free: row.free }),
      ...(usedPercent !== undefined && { usedPercent }),
      ...(allocatedPercent !== undefined && { allocatedPercent }),
      over: row.over,
    };
  });
}

/** How many points the chart keeps: at one point per change, plenty for the last half hour. */
export const HISTORY_LIMIT = 240;

/** Appends a snapshot's use (as % of budget, for the charted resources) to the history, keeping the last {@link HISTORY_LIMIT}. */
export function appendHistory(history: readonly HistoryPoint[], node: TreeNode, at: number): HistoryPoint[] {
  const values: Record<string, number> = {};
  for (const bar of barsOf(node)) {
    if ((SUMMARY_RESOURCES as readonly string[]).includes(bar.resource) && bar.usedPercent !== undefined)
      values[bar.resource] = bar.usedPercent;
  }
  return [...history, { at, percent: values }].slice(-HISTORY_LIMIT);
}

/** Everything the dashboard shows for a snapshot. */
export function dashboardView(
  scope: Scope,
  node: TreeNode,
  at: string,
  history: readonly HistoryPoint[],
  historySince?: number,
): DashboardView {
  const state = stateOf(node);
  const bars = barsOf(node);
  return {
    title: `${node.kind} ${scopeKey(scope)}`,
    kind: node.kind,
    state,
    stateText: STATE_TEXT[state],
    ...(node.namespace !== undefined && { namespace: node.namespace }),
    ...(node.message !== undefined && { message: node.message }),
    at,
    bars,
    children: node.children.map((child) => ({
      kind: child.kind,
      name: child.name,
      state: stateOf(child),
      summary: usageSummary(child) || 'no budget',
    })),
    charted: bars
      .filter((b) => (SUMMARY_RESOURCES as readonly string[]).includes(b.resource) && b.usedPercent !== undefined)
      .map((b) => ({ resource: b.resource, label: b.label })),
    history: [...history],
    ...(historySince !== undefined && { historySince: new Date(historySince).toISOString() }),
  };
}

/**
 * The scope's row of a metered report (`kit.usage.report`, totalled at the
 * scope's own level), as the dashboard lists it. An empty list of rows means
 * the meter saw no usage for this scope in the period.
 */
export function reportView(report: MeteredReport, scope: Scope, since: ReportPeriod): ReportView {
  const row = report.rows.find(
    (r) =>
      r.organization === scope.organization &&
      (scope.tenant === undefined || r.tenant === scope.tenant) &&
      (scope.space === undefined || r.space === scope.space),
  );
  const rows = Object.entries(row?.usage ?? {})
    // CPU and memory always; other resources (NodePorts, LoadBalancers…) only when something was used.
    .filter(([resource, u]) => (SUMMARY_RESOURCES as readonly string[]).includes(resource) || u.value !== 0)
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
    .map(([resource, u]) => ({ label: shortName(resource), value: formatNumber(u.value), unit: u.unit }));
  const gaps = report.gaps.filter((g) => g.kind !== 'before-metering');
  return {
    since,
    from: report.window.from,
    to: report.window.to,
    coveragePercent: Math.round(report.coverage.percent * 10) / 10,
    rows,
    ...(gaps.length > 0 && { notice: gaps.map((g) => `${g.duration} ${g.reason}`).join('; ') }),
  };
}

function order(resource: string): number {
  const index = (SUMMARY_RESOURCES as readonly string[]).indexOf(resource);
  return index === -1 ? SUMMARY_RESOURCES.length : index;
}

function formatNumber(value: number): string {
  if (value === 0) return '0';
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 1) return value.toFixed(2).replace(/\.?0+$/, '');
  return value.toPrecision(2);
}

/** The report level matching a scope: a Space's own row, a Tenant's total, an Organization's total. */
export function reportLevel(scope: Scope): 'space' | 'tenant' | 'organization' {
  return levelOf(scope);
}
