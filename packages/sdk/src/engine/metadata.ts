import { statusCode } from '../kube/index.ts';
import { CLEANUP_FINALIZER, onConflictRetry } from '../cluster/index.ts';
import type { EngineContext } from './context.ts';
import { type AnyCr, storeOf } from './status.ts';

/**
 * Makes sure a Spacekit object carries the cleanup finalizer and the labels
 * that place it, before anything is made for it. Objects written with kubectl
 * arrive without them; labels are taken from where the object lives, never
 * from what its author wrote, so that a label cannot move it to another
 * tenant's listings. Writes only when something is missing or wrong.
 */
export async function ensureMetadata<T extends AnyCr>(ctx: EngineContext, object: T, labels: Record<string, string>): Promise<T> {
  const needs = (o: AnyCr) =>
    !(o.metadata.finalizers ?? []).includes(CLEANUP_FINALIZER) || Object.entries(labels).some(([k, v]) => o.metadata.labels?.[k] !== v);
  if (!needs(object)) return object;
  const store = storeOf(ctx, object);
  let known: AnyCr | undefined = object;
  return onConflictRetry(async () => {
    const current = known ?? (await store.get(object.metadata.namespace, object.metadata.name));
    known = undefined;
    if (!current) return object;
    if (!needs(current) || current.metadata.deletionTimestamp) return current as T;
    const finalizers = [...new Set([...(current.metadata.finalizers ?? []), CLEANUP_FINALIZER])];
    try {
      return (await store.replace({
        ...current,
        metadata: { ...current.metadata, finalizers, labels: { ...current.metadata.labels, ...labels } },
      } as never)) as T;
    } catch (err) {
      if (statusCode(err) === 404) return object;
      throw err;
    }
  });
}
