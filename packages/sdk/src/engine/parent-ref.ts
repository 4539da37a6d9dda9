import type { CrStore } from '../cluster/index.ts';
import type { Organization, Status, Tenant } from '../model/index.ts';
import { canonicalResources } from '../quantity/index.ts';

type Parent = Organization | Tenant;

/** A child as the budget reads it: its name and what it recorded. */
export type Child = Tenant | { kind: 'Space'; metadata: { name: string; uid?: string }; status?: Status | undefined };

/** Where a parent's budget lives, where its children live, and how to name things in messages. */
export interface ParentRef<P extends Parent> {
  store: CrStore<P['kind']>;
  namespace: string | undefined;
  name: string;
  /** `organization acme` or `tenant acme/payments`. */
  label: string;
  childKind: 'tenant' | 'space';
  /** The children's store and namespace, to read a child fresh or name who holds the budget. */
  children: CrStore<'Tenant'> | CrStore<'Space'>;
  childNamespace: string;
}

/** The key a parent's in-process lock and caches go by. */
export function parentKey(ref: Pick<ParentRef<Parent>, 'store' | 'namespace' | 'name'>): string {
  return `${ref.store.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

/** The allocation a child has recorded, the basis of its next change. */
export function recordedAllocation(child: Child | undefined): Record<string, string> {
  return canonicalResources(child?.status?.allocation ?? {});
}
