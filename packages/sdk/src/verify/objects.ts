import { objectKey } from '../apply/index.ts';
import type { KubeObject } from '../render/index.ts';
import type { CheckResult } from './report.ts';

const ID = 'objects.as-rendered';

/** Where `live` first departs from `desired`, by the rule of isSubset (fields only the server set are ignored). */
export function firstDifference(
  desired: unknown,
  live: unknown,
  path = '',
): { path: string; expected: unknown; seen: unknown } | undefined {
  if (desired === live) return undefined;
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || desired.length !== live.length) return { path, expected: desired, seen: live };
    for (const [i, d] of desired.entries()) {
      const found = firstDifference(d, live[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (desired !== null && typeof desired === 'object') {
    if (live === null || typeof live !== 'object' || Array.isArray(live)) return { path, expected: desired, seen: live };
    for (const [k, v] of Object.entries(desired as Record<string, unknown>)) {
      if (v === undefined) continue;
      const found = firstDifference(v, (live as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
      if (found) return found;
    }
    return undefined;
  }
  return { path, expected: desired, seen: live };
}

const show = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

/** How one family of as-rendered checks names and reports what it compares. */
export interface Comparison {
  id: string;
  category: CheckResult['category'];
  subject: (object: KubeObject) => string;
  /** What a missing object should have been, for `expected`. */
  missing: string;
  fix: string;
}

/**
 * One result per desired object: passed when the live object holds everything
 * desired, failed when it is missing or differs, naming the first field that does.
 */
export function compareObjects(desired: readonly KubeObject[], live: ReadonlyMap<string, KubeObject>, how: Comparison): CheckResult[] {
  return desired.map((object): CheckResult => {
    const base = { id: how.id, category: how.category, subject: how.subject(object) };
    const found = live.get(objectKey(object));
    if (!found) return { ...base, status: 'failed', expected: how.missing, seen: 'no such object', fix: how.fix };
    const difference = firstDifference(object, found);
    if (!difference) return { ...base, status: 'passed' };
    return {
      ...base,
      status: 'failed',
      expected: `${difference.path} = ${show(difference.expected)}`,
      seen: `${difference.path} = ${show(difference.seen)}`,
      fix: how.fix,
    };
  });
}

/** The objects Spacekit renders for a level, compared with what is live. */
export function checkObjects(level: string, desired: readonly KubeObject[], live: ReadonlyMap<string, KubeObject>): CheckResult[] {
  return compareObjects(desired, live, {
    id: ID,
    category: 'objects',
    subject: (o) => `${level}: ${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`,
    missing: 'the object as Spacekit renders it',
    fix: `reconcile it (spacekit operator repairs it; or kit.${level.split(' ')[0]}s.reconcile), and find out who changed it`,
  });
}
