export { cacheRoot } from './cache.ts';
export {
  binaryKey,
  type BinaryKeyInput,
  type ControlPlaneBinary,
  ensureControlPlaneBinary,
  type EnsureBinaryOptions,
  GO_MODULE_DIR,
  kubernetesVersionOf,
  pruneOldBuilds,
  versionLdflags,
} from './binary.ts';
export { ensureGvisor, GVISOR_DIR, type GvisorBinaries, gvisorKey } from './gvisor.ts';
export { LocalClusterError, type LocalClusterErrorCode } from './errors.ts';
export { controlPlaneChecks, type ReadinessCheck, waitForControlPlane, type WaitOptions } from './readiness.ts';
export { ADDONS_DIR, type AddonDefinition, ensureAddon, NODE_ADDONS } from './addons.ts';
export {
  type LocalCluster,
  type LocalClusterProcess,
  PROBE_IMAGE,
  type RealNode,
  startLocalCluster,
  type StartLocalClusterOptions,
} from './start.ts';
