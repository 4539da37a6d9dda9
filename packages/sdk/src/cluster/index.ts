export { apiReader, type ClusterReader, type KindRef } from './reader.ts';
export { CLEANUP_FINALIZER, CrStore, onConflictRetry } from './store.ts';
