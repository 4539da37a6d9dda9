import { LABELS, type Organization, type Space, type Tenant } from '../model/index.ts';
import { formatResourceList, humanQuantity, normalizeResourceName, parseQuantity, parseResourceList, sumResourceLists } from '../quantity/index.ts';

/**
 * One node of the tree `spacekit get` shows, and the shape `-o json|yaml`
 * prints. Resource lists use canonical quota keys (`requests.cpu`).
 */
export interface TreeNode {
  kind: 'Organization' | 'Tenant' | 'Space';
  name: string;
  /** Pending, Ready, Failed or Terminating. */
  phase: string;
  /** The namespace this level keeps (a Space's is where its workloads run). */
  namespace?: string;
  /** An organization's or tenant's budget; a Space's quota. */
  budget: Record<string, string>;
  /** Organizations and tenants only: the part of the budget their children hold. */
  allocated?: Record<string, string>;
  /** Requested by workloads: a Space's quota usage; for a parent, the sum over the Spaces below it. */
  used: Record<string, string>;
  /** Why it is not Ready, when provisioning failed. */
  message?: string;
  children: TreeNode[];
}

/** What `spacekit get` prints when there is nothing to show. */
export const NO_ORGANIZATIONS = 'no organizations yet — create one with: spacekit create org NAME --cpu 8 --memory 16Gi\n';

type Level = Organization | Tenant | Space;

function phaseOf(object: Level): string {
  if (object.metadata.deletionTimestamp) return 'Terminating';
  return object.status?.phase ?? 'Pending';
}

function common(object: Level) {
  const phase = phaseOf(object);
  const failure = phase === 'Failed' ? object.status?.conditions?.find((c) => c.type === 'Ready')?.message : undefined;
  return {
    name: object.metadata.name,
    phase,
    ...(object.status?.namespace !== undefined && { namespace: object.status.namespace }),
    // Status trails the spec until the first reconcile; the spec is what was asked for.
    budget: canonical(object.status?.usage?.hard ?? object.spec.resources),
    ...(failure !== undefined && { message: failure }),
  };
}

function canonical(list: Record<string, string | number>): Record<string, string> {
  try {
    return formatResourceList(parseResourceList(list));
  } catch {
    return Object.fromEntries(Object.entries(list).map(([k, v]) => [k, String(v)]));
  }
}

function sumUsed(children: readonly TreeNode[]): Record<string, string> {
  try {
    return formatResourceList(sumResourceLists(children.map((c) => parseResourceList(c.used))));
  } catch {
    return {};
  }
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/** A Space as a leaf of the tree. */
export function spaceNode(space: Space): TreeNode {
  return { kind: 'Space', ...common(space), used: canonical(space.status?.usage?.used ?? {}), children: [] };
}

/** A Tenant with the given Spaces (those of other tenants are ignored). */
export function tenantNode(tenant: Tenant, spaces: readonly Space[]): TreeNode {
  const organization = tenant.metadata.namespace ?? '';
  const children = spaces.filter((s) => tenantOf(s, organization) === tenant.metadata.name).map(spaceNode).sort(byName);
  return { kind: 'Tenant', ...common(tenant), allocated: canonical(tenant.status?.usage?.allocated ?? {}), used: sumUsed(children), children };
}

/** An Organization with its Tenants and, below them, the given Spaces. */
export function organizationNode(org: Organization, tenants: readonly Tenant[], spaces: readonly Space[]): TreeNode {
  const children = tenants.map((t) => tenantNode(t, spaces)).sort(byName);
  return { kind: 'Organization', ...common(org), allocated: canonical(org.status?.usage?.allocated ?? {}), used: sumUsed(children), children };
}

function tenantOf(space: Space, organization: string): string | undefined {
  const label = space.metadata.labels?.[LABELS.tenant];
  if (label) return label;
  // A Space lives in its tenant's namespace, `<organization>--<tenant>`.
  const prefix = `${organization}--`;
  return space.metadata.namespace?.startsWith(prefix) ? space.metadata.namespace.slice(prefix.length) : undefined;
}

interface Row {
  name: string;
  phase: string;
  cells: Map<string, { numerator: string; denominator: string }>;
  namespace: string;
  note?: string;
}

const COLUMN_GAP = '   ';
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
      cells.set(resource, { numerator: human(resource, held ?? '0'), denominator: budget === undefined ? UNBOUNDED : human(resource, budget) });
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

  const header = { name: 'NAME', phase: 'PHASE', namespace: 'NAMESPACE' };
  const nameWidth = Math.max(header.name.length, ...rows.map((r) => r.name.length));
  const phaseWidth = Math.max(header.phase.length, ...rows.map((r) => r.phase.length));
  const columns = resources.map((resource) => {
    const title = resourceTitle(resource);
    const left = Math.max(1, ...rows.map((r) => r.cells.get(resource)?.numerator.length ?? 0));
    const right = Math.max(1, ...rows.map((r) => r.cells.get(resource)?.denominator.length ?? 0));
    return { resource, title, left, right, width: Math.max(title.length, left + 1 + right) };
  });

  const line = (name: string, phase: string, cells: string[], namespace: string) =>
    [name.padEnd(nameWidth), phase.padEnd(phaseWidth), ...cells, namespace].join(COLUMN_GAP).trimEnd();
  const out = [line(header.name, header.phase, columns.map((c) => c.title.padEnd(c.width)), header.namespace)];
  for (const row of rows) {
    const cells = columns.map((c) => {
      const cell = row.cells.get(c.resource);
      const text = cell ? `${cell.numerator.padStart(c.left)}/${cell.denominator.padEnd(c.right)}` : `${' '.repeat(c.left)}-`;
      return text.padEnd(c.width);
    });
    out.push(line(row.name, row.phase, cells, row.namespace));
    if (row.note !== undefined) out.push(row.note);
  }
  if (columns.length > 0) out.push('', LEGEND);
  return `${out.join('\n')}\n`;
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
  const first = ['requests.cpu', 'requests.memory'];
  return [...first.filter((r) => found.has(r)), ...[...found].filter((r) => !first.includes(r)).sort()];
}

function isZero(value: string): boolean {
  try {
    return parseQuantity(value) === 0n;
  } catch {
    return false;
  }
}

/** `requests.cpu` → `CPU`: the shorthand ResourceQuota accepts, when there is one. */
function resourceTitle(resource: string): string {
  const short = resource.replace(/^requests\./, '');
  return (normalizeResourceName(short) === resource ? short : resource).toUpperCase();
}

function human(resource: string, value: string): string {
  try {
    const milli = parseQuantity(value);
    return milli === 0n ? '0' : humanQuantity(resource, milli);
  } catch {
    return value;
  }
}
