export { applyOwned, type ApplyResult, PRUNABLE_KINDS } from './apply.ts';
export { isSubset } from './subset.ts';
