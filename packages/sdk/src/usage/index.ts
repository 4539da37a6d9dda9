export { organizationNode, spaceNode, tenantNode, type TreeNode } from './tree.ts';
export { Usage, type UsageScope, type UsageSnapshot, type WatchOptions } from './usage.ts';
