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
export { verifyCluster, type VerifyScope } from './verify.ts';
