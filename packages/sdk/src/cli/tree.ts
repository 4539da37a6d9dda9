import { humanAmount, orderResources, parseQuantity, resourceTitle } from '../quantity/index.ts';
import { alignColumns } from '../util/table.ts';
import type { TreeNode } from '../usage/tree.ts';

export { organizationNode, spaceNode, tenantNode, type TreeNode } from '../usage/tree.ts';

/** What `spacekit get` prints when there is nothing to show. */
export const NO_ORGANIZATIONS = 'no organizations yet — create one with: spacekit create org NAME --cpu 8 --memory 16Gi\n';

interface Row {
  name: string;
  phase: string;
  cells: Map<string, { numerator: string; denominator: string }>;
  namespace: string;
  note?: string;
}

const UNBOUNDED = '∞';
const LEGEND = 'organizations and tenants: allocated/budget · spaces: used/quota';

/**
 * The tree as aligned text: one row per node with its phase, one column per
 * resource that some budget bounds, and its namespace. Organizations and
 * tenants show `allocated/budget`, Spaces `used/quota`; each resource column
 * is aligned on its `/`. `-` means the level neither bounds nor holds the
 * resource; `∞` that it holds some without a bound of its own.
 *
 * @example
 * ```
 * NAME           PHASE   CPU     MEMORY      NAMESPACE
 * acme           Ready   3/8     6Gi/16Gi    acme
 * └─ payments    Ready   3/4     6Gi/8Gi     acme--payments
 *    ├─ dev      Ready   0/1       0/2Gi     acme--payments--dev
 * ```
 */
export function formatTree(roots: readonly TreeNode[]): string {
  if (roots.length === 0) return NO_ORGANIZATIONS;
  const resources = resourceColumns(roots);
  const rows: Row[] = [];
  const walk = (node: TreeNode, lead: string, connector: string, childLead: string) => {
    const cells = new Map<string, { numerator: string; denominator: string }>();
    for (const resource of resources) {
      const budget = node.budget[resource];
      const held = node.kind === 'Space' ? node.used[resource] : node.allocated?.[resource];
      // A resource this level does not bound but its children hold still matters: show it as unbounded.
      if (budget === undefined && (held === undefined || isZero(held))) continue;
      const denominator = budget === undefined ? UNBOUNDED : humanAmount(resource, budget);
      cells.set(resource, { numerator: humanAmount(resource, held ?? '0'), denominator });
    }
    rows.push({
      name: `${lead}${connector}${node.name}`,
      phase: node.phase,
      cells,
      namespace: node.namespace ?? '',
      ...(node.message !== undefined && { note: `${childLead}${node.children.length > 0 ? '│' : ' '}  ! ${node.message}` }),
    });
    node.children.forEach((child, i) => {
      const last = i === node.children.length - 1;
      walk(child, childLead, last ? '└─ ' : '├─ ', childLead + (last ? '   ' : '│  '));
    });
  };
  for (const root of roots) walk(root, '', '', '');

  const columns = resources.map((resource) => ({
    resource,
    title: resourceTitle(resource),
    left: Math.max(1, ...rows.map((r) => r.cells.get(resource)?.numerator.length ?? 0)),
    right: Math.max(1, ...rows.map((r) => r.cells.get(resource)?.denominator.length ?? 0)),
  }));
  const cellText = (row: Row, c: (typeof columns)[number]) => {
    const cell = row.cells.get(c.resource);
    return cell ? `${cell.numerator.padStart(c.left)}/${cell.denominator.padEnd(c.right)}` : `${' '.repeat(c.left)}-`;
  };
  const lines = alignColumns([
    ['NAME', 'PHASE', ...columns.map((c) => c.title), 'NAMESPACE'],
    ...rows.map((row) => [row.name, row.phase, ...columns.map((c) => cellText(row, c)), row.namespace]),
  ]);
  const out = [lines[0] ?? ''];
  rows.forEach((row, i) => {
    out.push(lines[i + 1] ?? '');
    if (row.note !== undefined) out.push(row.note);
  });
  if (columns.length > 0) out.push('', LEGEND);
  return `${out.join('\n')}\n`;
}

const USAGE_LEGEND = 'organizations and tenants: used · allocated · budget · spaces: used · quota (used = requested by running workloads)';

/**
 * The tree as a usage table: per resource, what workloads request (`used`),
 * and for organizations and tenants also what their children hold
 * (`allocated`) and their budget; for Spaces their quota.
 *
 * @example
 * ```
 * NAME           PHASE   CPU              MEMORY
 * acme           Ready   200m · 3 · 8     256Mi · 6Gi · 16Gi
 * └─ payments    Ready   200m · 3 · 4     256Mi · 6Gi · 8Gi
 *    └─ dev      Ready   200m · 1         256Mi · 2Gi
 * ```
 */
export function formatUsage(roots: readonly TreeNode[]): string {
  if (roots.length === 0) return NO_ORGANIZATIONS;
  const resources = resourceColumns(roots);
  const rows: { name: string; phase: string; cells: string[] }[] = [];
  const walk = (node: TreeNode, lead: string, connector: string, childLead: string) => {
    const cells = resources.map((resource) => {
      const used = humanAmount(resource, node.used[resource] ?? '0');
      const budget = node.budget[resource] === undefined ? UNBOUNDED : humanAmount(resource, node.budget[resource]);
      if (node.kind === 'Space') return `${used} · ${budget}`;
      return `${used} · ${humanAmount(resource, node.allocated?.[resource] ?? '0')} · ${budget}`;
    });
    rows.push({ name: `${lead}${connector}${node.name}`, phase: node.phase, cells });
    node.children.forEach((child, i) => {
      const last = i === node.children.length - 1;
      walk(child, childLead, last ? '└─ ' : '├─ ', childLead + (last ? '   ' : '│  '));
    });
  };
  for (const root of roots) walk(root, '', '', '');
  const titles = ['NAME', 'PHASE', ...resources.map((r) => resourceTitle(r))];
  const lines = alignColumns([titles, ...rows.map((r) => [r.name, r.phase, ...r.cells])]);
  if (resources.length > 0) lines.push('', USAGE_LEGEND);
  return `${lines.join('\n')}\n`;
}

/**
 * Resources worth a column: those some node budgets above zero. Every Space
 * quota caps NodePorts and LoadBalancers at 0 by default, which would
 * otherwise add two columns of `0/0`.
 */
function resourceColumns(roots: readonly TreeNode[]): string[] {
  const found = new Set<string>();
  const visit = (node: TreeNode) => {
    for (const [resource, value] of Object.entries(node.budget)) if (!isZero(value)) found.add(resource);
    node.children.forEach(visit);
  };
  roots.forEach(visit);
  return orderResources(found);
}

function isZero(value: string): boolean {
  try {
    return parseQuantity(value) === 0n;
  } catch {
    return false;
  }
}
