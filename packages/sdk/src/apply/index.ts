export { applyOwned, type ApplyIo, type AppliedLevel, type ApplyOptions, type ApplyResult, objectKey, PRUNABLE_KINDS } from './apply.ts';
export { isSubset } from './subset.ts';
