export { Controller, type ControllerOptions } from './controller.ts';
export { KubeEventRecorder, REPORTING_CONTROLLER } from './events.ts';
export { LeaderElector, type LeaderElectionOptions } from './leader-election.ts';
export { createLogger, type Logger, type LogLevel, SILENT } from './log.ts';
export * from './manifests.ts';
export { OperatorMetrics } from './metrics.ts';
export { type OperatorOptions, runOperator, type RunningOperator } from './run.ts';
export { parseListenAddress } from './server.ts';
export { WorkQueue } from './queue.ts';
