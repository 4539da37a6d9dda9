export { formatDuration, parseDuration } from './duration.ts';
export { archiveUsage, ClusterMeterStore, type ClusterMeterStoreOptions, meterShard, type UsageReadScope } from './cluster-store.ts';
export { FileMeterStore } from './file-store.ts';
export { integrateSamples, type IntegrateOptions, type SampleIntegration, type UsageSample } from './integrate.ts';
export { Meter, type MeterOptions } from './meter.ts';
export type { BucketRecord, CoverageRecord, MeteredSpace, MeterRecord, TimeSpan, UsageRecord } from './records.ts';
export {
  buildReport,
  readReport,
  type GapKind,
  type ReadReportOptions,
  type ReportGap,
  type ReportLevel,
  type ReportOptions,
  type ReportRow,
  type UsageReport,
} from './report.ts';
export { formatGapsNotice, formatReport, type ReportFormat, reportJson } from './report-format.ts';
export type { MeterReadResult, MeterStore } from './store.ts';
export { integralInUnits, unitOf, type UsageUnit } from './units.ts';
export { type MeteredReport, MeteredReportSchema } from './report-json.ts';
export { DEFAULT_RETENTION, type RetentionPolicy, retentionPolicy } from './retention.ts';
export { type CompactionResult, compactUsage, type CompactUsageOptions } from './compactor.ts';
