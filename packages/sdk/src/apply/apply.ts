import type { KubeClient } from '../kube/index.ts';
import { type KubeObject, type Owner, ownerSelector } from '../render/index.ts';
import { isSubset } from './subset.ts';

/** What one apply did. `writes` is 0 when nothing had to change. */
export interface ApplyResult {
  created: string[];
  updated: string[];
  unchanged: string[];
  pruned: string[];
  writes: number;
}

/** Kinds Spacekit renders into a level's namespace and therefore prunes there. */
export const PRUNABLE_KINDS = [
  { apiVersion: 'v1', kind: 'ResourceQuota' },
  { apiVersion: 'v1', kind: 'LimitRange' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
] as const;

const key = (o: { kind: string; metadata: { name?: string; namespace?: string } }) =>
  `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

/**
 * Makes the cluster hold exactly `desired` for one owner (a Space, Tenant or
 * Organization level): server-side applies what is missing or differs,
 * leaves alone what already matches (no write at all), and deletes objects
 * with the owner's labels that are no longer rendered.
 *
 * The Namespace, if rendered, is applied first; the rest follow in parallel.
 */
export async function applyOwned(client: KubeClient, owner: Owner, namespace: string, desired: readonly KubeObject[]): Promise<ApplyResult> {
  const result: ApplyResult = { created: [], updated: [], unchanged: [], pruned: [], writes: 0 };
  const selector = ownerSelector(owner);
  const nsObject = desired.find((o) => o.kind === 'Namespace');
  const liveNamespace = nsObject ? await client.read<KubeObject>(nsObject) : undefined;
  const live = new Map<string, KubeObject>();
  if (liveNamespace) live.set(key(liveNamespace), liveNamespace);
  if (liveNamespace || !nsObject) {
    const lists = await Promise.all(PRUNABLE_KINDS.map((k) => client.list<KubeObject>(k.apiVersion, k.kind, namespace, selector)));
    for (const item of lists.flat()) live.set(key(item), item);
  }

  const applyOne = async (object: KubeObject) => {
    const existing = live.get(key(object));
    if (existing && isSubset(object, existing)) {
      result.unchanged.push(key(object));
      return;
    }
    await client.apply(object);
    result.writes++;
    (existing ? result.updated : result.created).push(key(object));
  };
  if (nsObject) await applyOne(nsObject);
  await Promise.all(desired.filter((o) => o !== nsObject).map(applyOne));

  const wanted = new Set(desired.map(key));
  const stale = [...live.values()].filter((o) => o.kind !== 'Namespace' && !wanted.has(key(o)));
  await Promise.all(
    stale.map(async (o) => {
      await client.delete(o);
      result.writes++;
      result.pruned.push(key(o));
    }),
  );
  return result;
}
