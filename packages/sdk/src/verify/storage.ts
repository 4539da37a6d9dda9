import type { KubeClient } from '../kube/index.ts';
import { parseQuantity } from '../quantity/index.ts';
import type { KubeObject } from '../render/index.ts';
import { pooled } from '../util/pool.ts';
import { dryRun } from './dry-run.ts';
import type { CheckResult } from './report.ts';

// The MTB's storage checks, per Space: claims only within its quota (by dry run), nothing it can claim kept
// after its claim goes (StorageClasses and volumes with reclaim policy Delete), and no claim of a volume that
// already exists (as each member, in protected.ts).

/** A Space as the storage checks see it: its quota's `hard` as admission enforces it. */
export interface StorageTarget {
  subject: string;
  namespace: string;
  /** The live `spacekit-quota`'s `spec.hard`; undefined when the quota is missing. */
  hard: Record<string, string> | undefined;
}

/** The cluster's StorageClasses and PersistentVolumes. */
export interface StorageFacts {
  classes: readonly KubeObject[];
  volumes: readonly KubeObject[];
}

/** A claim as the dry runs send it. */
export type Claim = {
  apiVersion: 'v1';
  kind: 'PersistentVolumeClaim';
  metadata: { generateName: string; namespace: string };
  spec: { accessModes: string[]; volumeName?: string; resources: { requests: { storage: string } } };
};

const GIB = 1024n ** 3n;
const classKey = (name: string, what: 'requests.storage' | 'persistentvolumeclaims') => `${name}.storageclass.storage.k8s.io/${what}`;
const isZero = (value: string | undefined) => value !== undefined && parseQuantity(value) === 0n;

/** A claim that asks for more than `hard` allows: its cap and a GiB more, or a PiB where nothing caps it. */
export function oversizedClaim(namespace: string, hard: Record<string, string> | undefined): Claim {
  const cap = hard?.['requests.storage'];
  const size = cap === undefined ? '1Pi' : `${parseQuantity(cap) / 1000n + GIB}`;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    // generateName: a dry run stores nothing, and a fixed name could be a tenant's own claim.
    metadata: { generateName: 'spacekit-verify-', namespace },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
  };
}

/** A claim of a volume by name, which no tenant may make: a volume provisioned for someone else would be theirs. */
export function existingVolumeClaim(namespace: string, volume: string): Claim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { generateName: 'spacekit-verify-', namespace },
    spec: { accessModes: ['ReadWriteOnce'], volumeName: volume, resources: { requests: { storage: '1Gi' } } },
  };
}

/** The StorageClasses a Space's claims may use: none when its quota caps storage at 0, else those its quota does not close. */
export function usableClasses(hard: Record<string, string> | undefined, classes: readonly KubeObject[]): KubeObject[] {
  if (isZero(hard?.['requests.storage']) || isZero(hard?.persistentvolumeclaims)) return [];
  return classes.filter((c) => {
    const name = c.metadata.name ?? '';
    return !isZero(hard?.[classKey(name, 'requests.storage')]) && !isZero(hard?.[classKey(name, 'persistentvolumeclaims')]);
  });
}

const reclaimOf = (c: KubeObject) => (c as { reclaimPolicy?: string }).reclaimPolicy ?? 'Delete';
const volumeSpec = (v: KubeObject) =>
  (v.spec ?? {}) as { persistentVolumeReclaimPolicy?: string; storageClassName?: string; claimRef?: { namespace?: string } };

/**
 * PV reclaim policy `Delete` (MTB profile level 1, pending): every StorageClass the Space may claim from
 * deletes its volumes when the claim goes, and so does every volume bound to one of its claims, and every
 * Available volume a claim of it could bind. A kept volume outlives the Space with its data in it.
 */
export function checkReclaim(target: StorageTarget, facts: StorageFacts): CheckResult {
  const base = { id: 'storage.reclaim-delete', category: 'storage', subject: target.subject } as const;
  const usable = usableClasses(target.hard, facts.classes);
  const usableNames = new Set(usable.map((c) => c.metadata.name ?? ''));
  const claimsAllowed = !isZero(target.hard?.['requests.storage']) && !isZero(target.hard?.persistentvolumeclaims);
  const kept = [
    ...usable.filter((c) => reclaimOf(c) !== 'Delete').map((c) => `StorageClass ${c.metadata.name} (reclaimPolicy ${reclaimOf(c)})`),
    ...facts.volumes
      .filter((v) => {
        const spec = volumeSpec(v);
        if ((spec.persistentVolumeReclaimPolicy ?? 'Delete') === 'Delete') return false;
        if (spec.claimRef?.namespace === target.namespace) return true;
        const available = (v.status as { phase?: string } | undefined)?.phase === 'Available' && spec.claimRef === undefined;
        return claimsAllowed && available && (spec.storageClassName ? usableNames.has(spec.storageClassName) : true);
      })
      .map((v) => `PersistentVolume ${v.metadata.name} (persistentVolumeReclaimPolicy ${volumeSpec(v).persistentVolumeReclaimPolicy})`),
  ];
  if (kept.length === 0) return { ...base, status: 'passed' };
  return {
    ...base,
    status: 'failed',
    expected: 'every StorageClass and PersistentVolume this Space can claim deletes its volume when the claim goes',
    seen: kept.join('; '),
    fix: `set reclaimPolicy: Delete on the StorageClass (a new class; the field cannot change), or close it to the Space with ${classKey('CLASS', 'requests.storage')}: 0 in its resources; for a volume, kubectl patch pv NAME -p '{"spec":{"persistentVolumeReclaimPolicy":"Delete"}}'`,
  };
}

async function claimsWithinQuota(client: KubeClient, target: StorageTarget): Promise<CheckResult> {
  const base = { id: 'storage.claims-within-quota', category: 'storage', subject: target.subject } as const;
  const claim = oversizedClaim(target.namespace, target.hard);
  const size = claim.spec.resources.requests.storage;
  const answer = await dryRun(client, { verb: 'create', object: claim });
  if (answer.outcome === 'refused') return { ...base, status: 'passed' };
  if (answer.outcome === 'error') return { ...base, status: 'not-run', expected: `the dry run got no decision (${answer.message})` };
  const cap = target.hard?.['requests.storage'];
  return {
    ...base,
    status: 'failed',
    expected: `a claim of ${size} bytes, beyond the Space's quota, is refused`,
    seen: `admitted (server-side dry run); the quota ${cap === undefined ? 'has no requests.storage' : `holds requests.storage: ${cap}`}`,
    fix: `reconcile the Space so that its quota caps requests.storage (kubectl get resourcequota spacekit-quota -n ${target.namespace} -o yaml)`,
  };
}

/** For every Space: a claim beyond its quota refused (dry run), and nothing it may claim kept after the claim goes. */
export async function checkStorage(client: KubeClient, targets: readonly StorageTarget[], facts: StorageFacts): Promise<CheckResult[]> {
  const claims = await pooled(
    targets.map((t) => () => claimsWithinQuota(client, t)),
    8,
  );
  return [...claims, ...targets.map((t) => checkReclaim(t, facts))];
}
