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

/**
 * One result per object Spacekit renders for a level: passed when the live
 * object holds everything rendered, failed when it is missing or differs,
 * naming the first field that does.
 */
export function checkObjects(level: string, desired: readonly KubeObject[], live: ReadonlyMap<string, KubeObject>): CheckResult[] {
  return desired.map((object): CheckResult => {
    const key = objectKey(object);
    const subject = `${level}: ${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;
    const found = live.get(key);
    const fix = `reconcile it (spacekit operator repairs it; or kit.${level.split(' ')[0]}s.reconcile), and find out who changed it`;
    if (!found)
      return {
        id: ID,
        category: 'objects',
        subject,
        status: 'failed',
        expected: 'the object as Spacekit renders it',
        seen: 'no such object',
        fix,
      };
    const difference = firstDifference(object, found);
    if (!difference) return { id: ID, category: 'objects', subject, status: 'passed' };
    return {
      id: ID,
      category: 'objects',
      subject,
      status: 'failed',
      expected: `${difference.path} = ${show(difference.expected)}`,
      seen: `${difference.path} = ${show(difference.seen)}`,
      fix,
    };
  });
}
