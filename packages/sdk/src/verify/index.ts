export {
  CHECK_CATEGORIES,
  type CheckCategory,
  type CheckResult,
  type CheckStatus,
  formatReportJunit,
  formatReportTable,
  summarise,
  type VerifyReport,
} from './report.ts';
export { type LiveOptions, METADATA_ADDRESS, type ProbeSpaces } from './live.ts';
export { verifyCluster, type VerifyScope } from './verify.ts';
