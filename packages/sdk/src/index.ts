/**
 * Spacekit's SDK: Organizations → Tenants → Spaces on a shared Kubernetes
 * cluster. Start with {@link connect}.
 *
 * @packageDocumentation
 */
export { connect, type ConnectOptions, type InstallOptions, type InstallResult, Spacekit } from './spacekit.ts';
export * from './errors.ts';
export { KubeClient, type RequestRecord, serverMessage, watchUntil, type WriteCounter } from './kube/index.ts';
export { quotaEnforced } from './engine/space-decision.ts';
export * from './model/index.ts';
export { CreateSpaceInputSchema } from './api/inputs.ts';
export type {
  CreateOrganizationInput,
  CreateSpaceInput,
  CreateTenantInput,
  SpaceRef,
  TenantRef,
  UpdateOrganizationInput,
  UpdateSpaceInput,
  UpdateTenantInput,
} from './api/inputs.ts';
export type { Organizations } from './api/organizations.ts';
export type { ChangeOptions, DeleteOptions, Spaces } from './api/spaces.ts';
export type { ProvisioningMode } from './api/mode.ts';
export { Access, type Rights } from './api/access.ts';
export {
  type CredentialIdentity,
  type CredentialOptions,
  type CredentialRole,
  ownKubeconfig,
  type ScopedCredentials,
  type SpaceKubeconfig,
  type SpaceKubeconfigOptions,
  scopedKubeconfig,
} from './api/credentials.ts';
export { type ResourceAttributes, type ResourceRule, rulesAllow } from './kube/rules.ts';
export type { Tenants } from './api/tenants.ts';
export {
  CHECK_CATEGORIES,
  type CheckCategory,
  type CheckResult,
  type CheckStatus,
  formatReportJunit,
  formatReportTable,
  type LiveOptions,
  METADATA_ADDRESS,
  type VerifyReport,
  type VerifyScope,
} from './verify/index.ts';
export type { ApplyResult } from './apply/index.ts';
export type { Outcome, ReconcileResult } from './engine/index.ts';
export { renderOrganization, renderSpace, renderTenant, type KubeObject } from './render/index.ts';
export { spacekitCrds } from './crd/index.ts';
export { renderInstall } from './install/index.ts';
export * from './quantity/index.ts';
export { budgetShortfalls, type BudgetShortfall, freeBudget } from './budget/budget.ts';
export { alignColumns } from './util/table.ts';
export * from './meter/index.ts';
export {
  type ReportOptions as UsageReportOptions,
  Usage,
  type UsageScope,
  type UsageSnapshot,
  type WatchOptions,
  type TreeNode,
} from './usage/index.ts';
export { type OperatorManifestOptions, renderOperatorManifests } from './operator/manifests.ts';
