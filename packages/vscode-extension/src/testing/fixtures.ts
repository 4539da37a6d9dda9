import type { TreeNode } from '@spacekit/sdk';

/** A Space node as `kit.usage` returns it, with canonical resource names. */
export function spaceNode(
  name: string,
  used: Record<string, string> = {},
  budget: Record<string, string> = { 'requests.cpu': '1', 'requests.memory': '2Gi' },
  phase = 'Ready',
): TreeNode {
  return { kind: 'Space', name, phase, namespace: `acme--payments--${name}`, budget, used, children: [] };
}

/** A Tenant node over the given Spaces; allocated is their budgets' sum unless given. */
export function tenantNode(
  name: string,
  children: TreeNode[],
  options: { budget?: Record<string, string>; allocated?: Record<string, string>; used?: Record<string, string>; phase?: string } = {},
): TreeNode {
  return {
    kind: 'Tenant',
    name,
    phase: options.phase ?? 'Ready',
    namespace: `acme--${name}`,
    budget: options.budget ?? { 'requests.cpu': '4', 'requests.memory': '8Gi' },
    allocated: options.allocated ?? { 'requests.cpu': '2', 'requests.memory': '4Gi' },
    used: options.used ?? {},
    children,
  };
}

/** An Organization node over the given Tenants. */
export function organizationNode(name: string, children: TreeNode[]): TreeNode {
  return {
    kind: 'Organization',
    name,
    phase: 'Ready',
    namespace: name,
    budget: { 'requests.cpu': '16', 'requests.memory': '64Gi' },
    allocated: { 'requests.cpu': '4', 'requests.memory': '8Gi' },
    used: {},
    children,
  };
}
