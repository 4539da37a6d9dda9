/**
 * True when every field of `desired` is present in `live` with an equal
 * value. Fields only the server set (defaults, status, managedFields) are
 * ignored, so an object Spacekit applied and nobody touched compares equal,
 * while a hand edit or deletion of a rendered field does not.
 */
export function isSubset(desired: unknown, live: unknown): boolean {
  if (desired === live) return true;
  if (Array.isArray(desired)) {
    return Array.isArray(live) && desired.length === live.length && desired.every((d, i) => isSubset(d, live[i]));
  }
  if (desired !== null && typeof desired === 'object') {
    if (live === null || typeof live !== 'object' || Array.isArray(live)) return false;
    const l = live as Record<string, unknown>;
    return Object.entries(desired as Record<string, unknown>).every(([k, v]) => v === undefined || isSubset(v, l[k]));
  }
  return false;
}
