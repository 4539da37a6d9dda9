import { NameError } from '../errors.ts';

/** Kubernetes' limit on a namespace name (a DNS label). */
export const MAX_NAMESPACE_LENGTH = 63;

/**
 * Separates the levels in a namespace name. Names may contain single hyphens
 * but never two in a row, so `acme--payments--dev` splits one way only and
 * two different Spaces can never map to the same namespace.
 */
export const LEVEL_SEPARATOR = '--';

const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Namespaces Kubernetes or Spacekit itself uses, which an organization may not take. */
const RESERVED = [/^default$/, /^kube-/, /^spacekit-system$/];

/** Why `name` cannot name an Organization, Tenant or Space, or undefined when it can. */
export function nameProblem(kind: string, name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0)
    return `${kind} name is empty; use lowercase letters, digits and single hyphens, such as "payments"`;
  if (name.length > MAX_NAMESPACE_LENGTH) {
    return `${kind} name "${name}" is ${name.length} characters; the limit is ${MAX_NAMESPACE_LENGTH}`;
  }
  if (!LABEL.test(name)) {
    return `${kind} name "${name}" is not allowed: use lowercase letters, digits and hyphens, starting and ending with a letter or digit (such as "payments" or "team-a")`;
  }
  if (name.includes(LEVEL_SEPARATOR)) {
    return `${kind} name "${name}" contains "--", which Spacekit reserves to separate levels in namespace names; use a single hyphen`;
  }
  return undefined;
}

/** Why `name` cannot name an Organization, or undefined when it can. */
export function organizationNameProblem(name: string): string | undefined {
  const problem = nameProblem('organization', name);
  if (problem) return problem;
  if (RESERVED.some((r) => r.test(name))) {
    return `organization name "${name}" is reserved for Kubernetes or Spacekit (default, kube-*, spacekit-system); choose another`;
  }
  return undefined;
}

function check(problem: string | undefined, input: string): void {
  if (problem) throw new NameError(input, problem);
}

function fitNamespace(namespace: string, shorten: string): string {
  if (namespace.length > MAX_NAMESPACE_LENGTH) {
    throw new NameError(
      namespace,
      `the namespace "${namespace}" would be ${namespace.length} characters; Kubernetes allows ${MAX_NAMESPACE_LENGTH}. Shorten ${shorten} by ${namespace.length - MAX_NAMESPACE_LENGTH} or more`,
    );
  }
  return namespace;
}

/** The namespace that holds an Organization's Tenant objects: the organization's own name. */
export function organizationNamespace(organization: string): string {
  check(organizationNameProblem(organization), organization);
  return organization;
}

/** The namespace that holds a Tenant's Space objects: `<organization>--<tenant>`. */
export function tenantNamespace(organization: string, tenant: string): string {
  check(organizationNameProblem(organization), organization);
  check(nameProblem('tenant', tenant), tenant);
  return fitNamespace(`${organization}${LEVEL_SEPARATOR}${tenant}`, 'the organization or tenant name');
}

/** The namespace of a Space, where its workloads run: `<organization>--<tenant>--<space>`. */
export function spaceNamespace(organization: string, tenant: string, space: string): string {
  const parent = tenantNamespace(organization, tenant);
  check(nameProblem('space', space), space);
  return fitNamespace(`${parent}${LEVEL_SEPARATOR}${space}`, 'the space name (or the tenant or organization name)');
}

/** The inverse of the namespace functions: which level a Spacekit namespace belongs to. */
export function parseNamespace(namespace: string): { organization: string; tenant?: string; space?: string } | undefined {
  const parts = namespace.split(LEVEL_SEPARATOR);
  const [organization, tenant, space] = parts;
  if (!organization || parts.length > 3 || parts.some((p) => nameProblem('name', p))) return undefined;
  return { organization, ...(tenant && { tenant }), ...(space && { space }) };
}
