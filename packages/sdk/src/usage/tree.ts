import { LABELS, type Organization, type Space, type Tenant } from '../model/index.ts';
import { canonicalResources, formatResourceList, parseResourceList, sumResourceLists } from '../quantity/index.ts';

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

/** Canonical resources, or the list as it is when it does not parse: the tree still shows a level whose spec is broken. */
function canonical(list: Record<string, string | number>): Record<string, string> {
  try {
    return canonicalResources(list);
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

/**
 * A parent's usage: the sum over the children shown, which is freshest; with
 * none shown (the caller may not list them, or there are none), what the
 * operator recorded in the parent's status.
 */
function usedOf(parent: Organization | Tenant, children: readonly TreeNode[]): Record<string, string> {
  if (children.length > 0) return sumUsed(children);
  return canonical(parent.status?.usage?.used ?? {});
}

/** A Space as a leaf of the tree. */
export function spaceNode(space: Space): TreeNode {
  return { kind: 'Space', ...common(space), used: canonical(space.status?.usage?.used ?? {}), children: [] };
}

/** A Tenant with the given Spaces (those of other tenants are ignored). */
export function tenantNode(tenant: Tenant, spaces: readonly Space[]): TreeNode {
  const organization = tenant.metadata.namespace ?? '';
  const children = spaces
    .filter((s) => tenantOf(s, organization) === tenant.metadata.name)
    .map(spaceNode)
    .sort(byName);
  return {
    kind: 'Tenant',
    ...common(tenant),
    allocated: canonical(tenant.status?.usage?.allocated ?? {}),
    used: usedOf(tenant, children),
    children,
  };
}

/** An Organization with its Tenants and, below them, the given Spaces. */
export function organizationNode(org: Organization, tenants: readonly Tenant[], spaces: readonly Space[]): TreeNode {
  const children = tenants.map((t) => tenantNode(t, spaces)).sort(byName);
  return {
    kind: 'Organization',
    ...common(org),
    allocated: canonical(org.status?.usage?.allocated ?? {}),
    used: usedOf(org, children),
    children,
  };
}

function tenantOf(space: Space, organization: string): string | undefined {
  const label = space.metadata.labels?.[LABELS.tenant];
  if (label) return label;
  // A Space lives in its tenant's namespace, `<organization>--<tenant>`.
  const prefix = `${organization}--`;
  return space.metadata.namespace?.startsWith(prefix) ? space.metadata.namespace.slice(prefix.length) : undefined;
}
