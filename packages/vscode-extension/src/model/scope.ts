import { nameProblem, organizationNameProblem, type UsageScope } from '@spacekit/sdk';

/** One Organization, Tenant or Space, addressed by name, as the SDK's usage calls take it. */
export type Scope = UsageScope;

/** A Space's address, as `kit.spaces` takes it. */
export interface SpaceAddress {
  organization: string;
  tenant: string;
  name: string;
}

/** The level a scope addresses. */
export function levelOf(scope: Scope): 'organization' | 'tenant' | 'space' {
  if (scope.space !== undefined) return 'space';
  if (scope.tenant !== undefined) return 'tenant';
  return 'organization';
}

/** `acme`, `acme/payments` or `acme/payments/dev`: the tree item id, the settings syntax and the dashboard key. */
export function scopeKey(scope: Scope): string {
  return [scope.organization, scope.tenant, scope.space].filter((part) => part !== undefined).join('/');
}

/** `organization acme`, `tenant acme/payments`, `space acme/payments/dev`: for messages. */
export function scopeLabel(scope: Scope): string {
  return `${levelOf(scope)} ${scopeKey(scope)}`;
}

/** The Space a scope addresses, when it addresses one. */
export function spaceAddress(scope: Scope): SpaceAddress | undefined {
  if (scope.tenant === undefined || scope.space === undefined) return undefined;
  return { organization: scope.organization, tenant: scope.tenant, name: scope.space };
}

/** Whether `inner` is `outer` or lies below it. */
export function contains(outer: Scope, inner: Scope): boolean {
  if (outer.organization !== inner.organization) return false;
  if (outer.tenant !== undefined && outer.tenant !== inner.tenant) return false;
  if (outer.space !== undefined && outer.space !== inner.space) return false;
  return true;
}

/**
 * Parses `acme`, `acme/payments` or `acme/payments/dev` (the `spacekit.scopes`
 * and `spacekit.space` syntax). Names are checked with the SDK's own rules, so
 * a typo is reported here rather than as a confusing 404 later.
 */
export function parseScope(text: string): { scope: Scope } | { problem: string } {
  const parts = text.trim().split('/');
  if (parts.length > 3 || parts.some((p) => p === '')) {
    return {
      problem: `"${text}" is not a scope: write organization, organization/tenant or organization/tenant/space, such as "acme/payments"`,
    };
  }
  const [organization = '', tenant, space] = parts;
  const problem =
    organizationNameProblem(organization) ??
    (tenant !== undefined ? nameProblem('tenant', tenant) : undefined) ??
    (space !== undefined ? nameProblem('space', space) : undefined);
  if (problem) return { problem };
  return { scope: { organization, ...(tenant !== undefined && { tenant }), ...(space !== undefined && { space }) } };
}
