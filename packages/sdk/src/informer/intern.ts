/**
 * Shares identical subtrees between cached objects. Thousands of Spaces
 * carry the same NetworkPolicy specs, LimitRange, quota and role bindings,
 * differing only in names; kept once each, the operator's caches grow by a
 * few hundred bytes per object instead of several kilobytes.
 *
 * Entries are held weakly: a subtree no cached object uses any more is
 * collected, and its entry goes with it. Interned values are shared, so they
 * must never be mutated; the engine only ever copies.
 */
export class Interner {
  readonly #table = new Map<string, WeakRef<object>>();
  readonly #registry = new FinalizationRegistry<string>((key) => {
    const ref = this.#table.get(key);
    if (ref && ref.deref() === undefined) this.#table.delete(key);
  });

  /** The shared copy of `value` (a plain object or array), or `value` itself, now shared, when it is the first of its kind. */
  intern<T>(value: T): T {
    if (value === null || typeof value !== 'object') return value;
    const key = JSON.stringify(value);
    const known = this.#table.get(key)?.deref();
    if (known) return known as T;
    this.#table.set(key, new WeakRef(value as object));
    this.#registry.register(value as object, key);
    return value;
  }

  /** Distinct subtrees held, for tests and metrics. */
  get size(): number {
    return this.#table.size;
  }
}

/** The metadata a reconcile reads of an object Spacekit owns; the rest (uid, timestamps, generation) is dropped. */
const KEPT_METADATA = [
  'name',
  'namespace',
  'resourceVersion',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'deletionTimestamp',
] as const;
const SHARED_METADATA = new Set(['labels', 'annotations', 'ownerReferences', 'finalizers']);

/**
 * An object Spacekit owns, as the operator caches it: the metadata it reads,
 * and every other top-level field (spec, status, rules, subjects, roleRef)
 * shared with identical ones.
 */
export function compactOwned<T extends { metadata?: Record<string, unknown> }>(object: T, interner: Interner): T {
  const metadata: Record<string, unknown> = {};
  for (const key of KEPT_METADATA) {
    const value = object.metadata?.[key];
    if (value !== undefined) metadata[key] = SHARED_METADATA.has(key) ? interner.intern(value) : value;
  }
  const out: Record<string, unknown> = { metadata };
  for (const [key, value] of Object.entries(object)) {
    if (key === 'metadata') continue;
    out[key] = interner.intern(value);
  }
  return out as T;
}

/**
 * A Spacekit object (Organization, Tenant, Space) as the operator caches it:
 * everything kept, since reconciles read its uid, creation time and
 * generation, but its spec, labels, finalizers and usage shared.
 */
export function compactLevel<T extends { metadata?: Record<string, unknown>; spec?: unknown; status?: Record<string, unknown> }>(
  object: T,
  interner: Interner,
): T {
  const metadata = { ...object.metadata };
  for (const key of SHARED_METADATA) if (metadata[key] !== undefined) metadata[key] = interner.intern(metadata[key]);
  const status = object.status && {
    ...object.status,
    ...(object.status.usage !== undefined && { usage: interner.intern(object.status.usage) }),
  };
  return { ...object, metadata, spec: interner.intern(object.spec), ...(status && { status }) };
}
