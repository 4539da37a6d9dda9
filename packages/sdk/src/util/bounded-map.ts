/**
 * A Map that holds at most `limit` entries and forgets the least recently
 * used one first: for caches whose keys come from the caller (one per parent,
 * say), so that a long-lived process that touches many of them keeps only
 * the ones it is using. `get` and `set` count as use; `has` does not.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  /** The most entries it holds; at least 1. */
  readonly limit: number;

  constructor(limit: number) {
    super();
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a BoundedMap needs a limit of at least 1, not ${limit}`);
    this.limit = limit;
  }

  override get(key: K): V | undefined {
    if (!super.has(key)) return undefined;
    const value = super.get(key) as V;
    // A Map iterates in insertion order, so moving the key to the end keeps the oldest use first.
    super.delete(key);
    super.set(key, value);
    return value;
  }

  override set(key: K, value: V): this {
    super.delete(key);
    super.set(key, value);
    for (const oldest of super.keys()) {
      if (this.size <= this.limit) break;
      super.delete(oldest);
    }
    return this;
  }
}
