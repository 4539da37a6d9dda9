/** The kinds Spacekit defines. */
export type SpacekitKind = 'Organization' | 'Tenant' | 'Space';

/** How one Spacekit kind is named and scoped in the API. */
export interface KindInfo {
  readonly kind: SpacekitKind;
  readonly plural: string;
  readonly singular: string;
  readonly scope: 'Cluster' | 'Namespaced';
  readonly shortNames: readonly string[];
}

/** Names and scopes of the three kinds, for CRDs and for building API paths. */
export const KINDS = {
  Organization: { kind: 'Organization', plural: 'organizations', singular: 'organization', scope: 'Cluster', shortNames: ['org', 'orgs'] },
  Tenant: { kind: 'Tenant', plural: 'tenants', singular: 'tenant', scope: 'Namespaced', shortNames: ['tn'] },
  Space: { kind: 'Space', plural: 'spaces', singular: 'space', scope: 'Namespaced', shortNames: ['sp'] },
} as const satisfies Record<SpacekitKind, KindInfo>;

/** The `kubectl get` category that lists all three kinds: `kubectl get spacekit`. */
export const CATEGORY = 'spacekit';
