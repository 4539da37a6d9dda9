import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError, SpacekitError, TimeoutError } from '../errors.ts';
import { type KubeClient, statusCode } from '../kube/index.ts';
import { LABELS, MANAGER, type Organization, type Space, type Tenant } from '../model/index.ts';
import { CLEANUP_FINALIZER, type CrStore, onConflictRetry } from '../engine/store.ts';

/** How long waits take at most, unless the caller says otherwise. */
export const DEFAULT_TIMEOUT_MS = 120_000;

/** Polls `probe` until it returns a value; throws {@link TimeoutError} saying what it waited for. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let interval = 50; ; interval = Math.min(interval * 2, 500)) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new TimeoutError(`gave up after ${timeoutMs / 1000}s waiting for ${what}`);
    await sleep(interval);
  }
}

/** Refuses to take over a namespace that exists but that Spacekit did not make. */
export async function assertNamespaceFree(client: KubeClient, namespace: string, forWhat: string): Promise<void> {
  const existing = await client.read<{ apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> } }>({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace },
  });
  if (existing && existing.metadata.labels?.[LABELS.managedBy] !== MANAGER) {
    throw new ConflictError(
      `namespace ${namespace} already exists and is not managed by Spacekit, so ${forWhat} cannot use it; choose another name or remove that namespace`,
    );
  }
}

/** Deletes a namespace and, when asked, waits until it is gone (its controller has emptied it). */
export async function deleteNamespace(client: KubeClient, namespace: string, wait: boolean, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  const ref = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } };
  await client.delete(ref);
  if (!wait) return;
  await waitFor(`namespace ${namespace} to be deleted`, async () => ((await client.read(ref)) ? undefined : true), timeoutMs);
}

/** Removes Spacekit's cleanup finalizer, letting the apiserver finish deleting the object. */
export async function removeFinalizer(store: CrStore<'Organization' | 'Tenant' | 'Space'>, object: Organization | Tenant | Space): Promise<void> {
  await onConflictRetry(async () => {
    const current = await store.get(object.metadata.namespace, object.metadata.name);
    if (!current || !(current.metadata.finalizers ?? []).includes(CLEANUP_FINALIZER)) return;
    const finalizers = (current.metadata.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER);
    try {
      await store.replace({ ...current, metadata: { ...current.metadata, finalizers } } as never);
    } catch (err) {
      if (statusCode(err) !== 404) throw err;
    }
  });
}

/**
 * Polls `read` until the object is Ready for its current generation. Throws
 * as soon as it is Failed, with the Ready condition's message, rather than
 * waiting out the timeout.
 */
export async function waitUntilReady<T extends Organization | Tenant | Space>(
  label: string,
  read: () => Promise<T>,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<T> {
  return waitFor(
    `${label} to be Ready`,
    async () => {
      const object = await read();
      if (object.status?.phase === 'Failed') {
        const ready = object.status.conditions?.find((c) => c.type === 'Ready');
        throw new SpacekitError('CLUSTER', `cannot provision ${label}: ${ready?.message ?? 'provisioning failed'}`);
      }
      const current = (object.status?.observedGeneration ?? 0) >= (object.metadata.generation ?? 0);
      return object.status?.phase === 'Ready' && current ? object : undefined;
    },
    timeoutMs,
  );
}
