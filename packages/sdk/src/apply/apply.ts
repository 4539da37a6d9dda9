import type { ClusterReader } from '../cluster/index.ts';
import type { KubeClient } from '../kube/index.ts';
import type { KubeObject, Owner } from '../render/index.ts';
import { levelNamespace, levelScans, OWNED_KINDS } from '../render/scans.ts';
import { isSubset } from './subset.ts';

/** What one apply did. `writes` is 0 when nothing had to change. */
export interface ApplyResult {
  created: string[];
  updated: string[];
  unchanged: string[];
  pruned: string[];
  writes: number;
}

/** An apply's result plus the objects as the cluster now holds them (what was applied, or the unchanged live copy). */
export interface AppliedLevel extends ApplyResult {
  objects: Map<string, KubeObject>;
}

/** Kinds Spacekit renders into a level's own namespace and therefore prunes there. */
export const PRUNABLE_KINDS = [
  OWNED_KINDS.resourceQuota,
  OWNED_KINDS.limitRange,
  OWNED_KINDS.networkPolicy,
  OWNED_KINDS.roleBinding,
] as const;

/** `Kind/namespace/name`, the identity apply compares objects by. */
export const objectKey = (o: { kind: string; metadata: { name?: string; namespace?: string | undefined } }): string =>
  `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

/** 0 for namespaces, 1 for roles, 2 for everything else: the order in which apply writes them. */
export function applyWave(object: { kind: string }): number {
  if (object.kind === 'Namespace') return 0;
  return object.kind === 'Role' || object.kind === 'ClusterRole' ? 1 : 2;
}

/** What apply needs: a client to write with and a reader for the live state (API or cache). */
export interface ApplyIo {
  client: KubeClient;
  reader: ClusterReader;
}

/** Hints that save reads when the caller already knows the state. */
export interface ApplyOptions {
  /**
   * The level's Spacekit object was created just now, so nothing of it can
   * exist yet and there is nothing to read or prune.
   */
  fresh?: boolean;
}

/**
 * Makes the cluster hold exactly `desired` for one level (a Space, Tenant or
 * Organization): server-side applies what is missing or differs, leaves alone
 * what already matches (no write at all), and deletes objects with the
 * level's labels, in the places the level uses ({@link levelScans}), that are
 * no longer rendered.
 *
 * The Namespace, if rendered, is applied first, then roles, then the rest in parallel.
 */
export async function applyOwned(
  io: ApplyIo,
  owner: Owner,
  desired: readonly KubeObject[],
  options: ApplyOptions = {},
): Promise<AppliedLevel> {
  const result: AppliedLevel = { created: [], updated: [], unchanged: [], pruned: [], writes: 0, objects: new Map() };
  const nsObject = desired.find((o) => o.kind === 'Namespace');
  const live = new Map<string, KubeObject>();
  if (!options.fresh) {
    const ownNamespace = levelNamespace(owner);
    const liveNamespace = nsObject ? await io.reader.namespace(nsObject.metadata.name) : undefined;
    if (liveNamespace) live.set(objectKey(liveNamespace), liveNamespace);
    const reads = levelScans(owner).flatMap((scan) =>
      // Nothing can be inside a namespace that does not exist yet.
      scan.namespace === ownNamespace && nsObject && !liveNamespace
        ? []
        : scan.kinds.map((kind) => io.reader.owned(kind, scan.namespace, owner)),
    );
    for (const item of (await Promise.all(reads)).flat()) live.set(objectKey(item), item);
  }

  const applyOne = async (object: KubeObject) => {
    const key = objectKey(object);
    const existing = live.get(key);
    if (existing && isSubset(object, existing)) {
      result.unchanged.push(key);
      result.objects.set(key, existing);
      return;
    }
    result.objects.set(key, await io.client.apply(object));
    result.writes++;
    (existing ? result.updated : result.created).push(key);
  };
  // In waves: the namespace holds everything else, and a binding to a role is checked against the
  // role's rules (RBAC's escalation check), so the role must exist before its binding.
  for (const wave of [0, 1, 2]) await Promise.all(desired.filter((o) => applyWave(o) === wave).map(applyOne));

  const wanted = new Set(desired.map(objectKey));
  const stale = [...live.values()].filter((o) => o.kind !== 'Namespace' && !wanted.has(objectKey(o)));
  await Promise.all(
    stale.map(async (o) => {
      await io.client.delete(o);
      result.writes++;
      result.pruned.push(objectKey(o));
    }),
  );
  return result;
}
