export { organizationNode, spaceNode, tenantNode, type TreeNode } from './tree.ts';
export { type ReportOptions, Usage, type UsageScope, type UsageSnapshot, type WatchOptions } from './usage.ts';
