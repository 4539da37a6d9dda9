/**
 * What the operator's work queue holds: which level to reconcile, by kind and
 * name. A key says what to look at, never what happened.
 */
export type WorkKey =
  | { kind: 'Organization'; organization: string }
  | { kind: 'Tenant'; organization: string; tenant: string }
  | { kind: 'Space'; organization: string; tenant: string; space: string };

/** The kinds a {@link WorkKey} can have. */
export type WorkKind = WorkKey['kind'];

const PARTS: Record<WorkKind, number> = { Organization: 1, Tenant: 2, Space: 3 };

/**
 * A key as the queue's string (`Kind/organization[/tenant[/space]]`); equal
 * keys give equal strings, which is what the queue deduplicates on.
 */
export function encodeWorkKey(key: WorkKey): string {
  switch (key.kind) {
    case 'Organization':
      return `Organization/${key.organization}`;
    case 'Tenant':
      return `Tenant/${key.organization}/${key.tenant}`;
    case 'Space':
      return `Space/${key.organization}/${key.tenant}/${key.space}`;
  }
}

/**
 * The key an {@link encodeWorkKey} string stands for, or undefined for one of
 * an unknown kind, with the wrong number of names, or with an empty name.
 */
export function decodeWorkKey(encoded: string): WorkKey | undefined {
  const [kind = '', ...names] = encoded.split('/');
  if (!Object.hasOwn(PARTS, kind) || names.length !== PARTS[kind as WorkKind] || names.some((n) => n === '')) return undefined;
  const [organization = '', tenant = '', space = ''] = names;
  switch (kind as WorkKind) {
    case 'Organization':
      return { kind: 'Organization', organization };
    case 'Tenant':
      return { kind: 'Tenant', organization, tenant };
    case 'Space':
      return { kind: 'Space', organization, tenant, space };
  }
}
