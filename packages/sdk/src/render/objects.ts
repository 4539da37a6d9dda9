import { createHash } from 'node:crypto';
import { LABELS, MANAGER, type ObjectMeta } from '../model/index.ts';

/** A Kubernetes object as render() produces it: plain data, ready for server-side apply. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta & { ownerReferences?: OwnerReference[] };
  [field: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Which level an object belongs to, by the labels every rendered object carries. */
export interface Owner {
  level: 'organization' | 'tenant' | 'space';
  organization: string;
  tenant?: string;
  space?: string;
}

/** The labels that tie an object to its level; also the selector that finds them for pruning. */
export function ownerLabels(owner: Owner): Record<string, string> {
  return {
    [LABELS.managedBy]: MANAGER,
    [LABELS.level]: owner.level,
    [LABELS.organization]: owner.organization,
    ...(owner.tenant !== undefined && { [LABELS.tenant]: owner.tenant }),
    ...(owner.space !== undefined && { [LABELS.space]: owner.space }),
  };
}

/** A label selector string for {@link ownerLabels}. */
export function ownerSelector(owner: Owner): string {
  return Object.entries(ownerLabels(owner))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** A short, stable hash for names derived from free text such as user names. */
export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 10);
}
