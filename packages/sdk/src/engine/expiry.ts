import { durationMs, type Space } from '../model/index.ts';

/**
 * When a Space expires, in milliseconds since the epoch, from its `ttl`
 * (counted from creation) and `expiresAt`; the earlier wins. Undefined when it
 * has neither, or before the API server has given it a creation time.
 */
export function expiryOf(space: Pick<Space, 'spec' | 'metadata'>): number | undefined {
  const candidates: number[] = [];
  const created = space.metadata.creationTimestamp ? Date.parse(space.metadata.creationTimestamp) : Number.NaN;
  const ttl = space.spec.ttl ? durationMs(space.spec.ttl) : undefined;
  if (ttl !== undefined && !Number.isNaN(created)) candidates.push(created + ttl);
  if (space.spec.expiresAt) {
    const at = Date.parse(space.spec.expiresAt);
    if (!Number.isNaN(at)) candidates.push(at);
  }
  return candidates.length > 0 ? Math.min(...candidates) : undefined;
}
