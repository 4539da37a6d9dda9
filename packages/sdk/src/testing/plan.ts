import { randomBytes } from 'node:crypto';
import type { CreateSpaceInput, TenantRef } from '../api/inputs.ts';
import { NameError, ValidationError, type ValidationIssue } from '../errors.ts';
import { DURATION_PATTERN, durationMs, LEVEL_SEPARATOR, MAX_NAMESPACE_LENGTH, nameProblem, tenantNamespace } from '../model/index.ts';
import { normalizeResourceName } from '../quantity/index.ts';

/** A Space's resources as `spaces.create` takes them: `{ cpu: '500m', memory: '512Mi' }`. */
export type ResourcesInput = NonNullable<CreateSpaceInput['resources']>;

/** Whether a Space's pods run under gVisor: `gvisor` or `none`. */
export type SandboxInput = NonNullable<CreateSpaceInput['sandbox']>;

/**
 * What an ephemeral Space gets unless the caller says otherwise: small, so
 * that several parallel workers fit into a modest tenant budget.
 */
export const DEFAULT_EPHEMERAL_RESOURCES: Readonly<Record<string, string>> = { cpu: '500m', memory: '512Mi' };

/** How long an ephemeral Space lives if nobody deletes it: the operator reaps it then. */
export const DEFAULT_EPHEMERAL_TTL = '1h';

/** The start of generated Space names, such as `test-3f9a1c07`. */
export const DEFAULT_EPHEMERAL_PREFIX = 'test';

/** Label on every ephemeral Space, so that people can find them: `kubectl get spaces -A -l testing.spacekit.dev/ephemeral`. */
export const EPHEMERAL_LABEL = 'testing.spacekit.dev/ephemeral';

/** Hex characters of randomness after the prefix: 32 bits, plenty for the Spaces alive in one tenant at once. */
export const SUFFIX_LENGTH = 8;

/** The options that shape the Space itself, as {@link ephemeralSpaceInput} reads them. */
export interface EphemeralSpaceShape {
  prefix?: string;
  resources?: ResourcesInput;
  sandbox?: SandboxInput;
  ttl?: string;
  labels?: Record<string, string>;
}

/** Who asked for a Space, written into its display name so that a leaked one can be traced to a machine and process. */
export interface Origin {
  pid: number;
  host: string;
}

/**
 * Reads a tenant given as `{ organization, name }` or as `'organization/tenant'`.
 *
 * @throws {ValidationError} when the text is not of that form; {@link NameError} for names that cannot be.
 */
export function parseTenant(tenant: TenantRef | string): TenantRef {
  let ref: TenantRef;
  if (typeof tenant === 'string') {
    const [organization, name, extra] = tenant.split('/');
    if (!organization || !name || extra !== undefined) {
      throw new ValidationError('ephemeral space', [
        { path: 'tenant', message: `"${tenant}" is not a tenant: write organization/tenant, such as "acme/ci"` },
      ]);
    }
    ref = { organization, name };
  } else if (tenant && typeof tenant === 'object') {
    ref = { organization: tenant.organization, name: tenant.name };
  } else {
    throw new ValidationError('ephemeral space', [
      { path: 'tenant', message: 'give the tenant as { organization, name } or as "organization/tenant"' },
    ]);
  }
  // Checks both names now, so that a typo fails before any request.
  tenantNamespace(ref.organization, ref.name);
  return ref;
}

/** A fresh random suffix of {@link SUFFIX_LENGTH} lowercase hex characters. */
export function randomSuffix(): string {
  return randomBytes(SUFFIX_LENGTH / 2).toString('hex');
}

/**
 * The name `<prefix>-<suffix>`, checked to make a valid Space whose namespace
 * `<organization>--<tenant>--<name>` fits Kubernetes' 63 characters. The check
 * names the prefix, which is the part the caller chose, rather than leaving
 * the generic "shorten the space name" that the SDK would give later.
 *
 * @throws {NameError} when the prefix is not allowed or makes the namespace too long.
 */
export function ephemeralSpaceName(tenant: TenantRef, prefix: string, suffix: string): string {
  const problem = nameProblem('prefix', prefix);
  if (problem) throw new NameError(prefix, `${problem}; it starts the names of ephemeral Spaces`);
  const name = `${prefix}-${suffix}`;
  const parent = tenantNamespace(tenant.organization, tenant.name);
  const namespace = `${parent}${LEVEL_SEPARATOR}${name}`;
  if (namespace.length > MAX_NAMESPACE_LENGTH) {
    const over = namespace.length - MAX_NAMESPACE_LENGTH;
    const room = MAX_NAMESPACE_LENGTH - parent.length - LEVEL_SEPARATOR.length - 1 - suffix.length;
    throw new NameError(
      prefix,
      room < 1
        ? `tenant ${tenant.organization}/${tenant.name} leaves no room for ephemeral Space names: its namespace "${parent}" is ${parent.length} characters, and an ephemeral Space needs ${LEVEL_SEPARATOR.length + 2 + suffix.length} more within Kubernetes' ${MAX_NAMESPACE_LENGTH}; use a tenant with a shorter name`
        : `ephemeral Spaces in tenant ${tenant.organization}/${tenant.name} would get namespaces such as "${namespace}", ${namespace.length} characters; Kubernetes allows ${MAX_NAMESPACE_LENGTH}. Shorten the prefix "${prefix}" by ${over} or more (to ${room} characters at most)`,
    );
  }
  return name;
}

/**
 * The defaults with the caller's resources on top. Keys are compared as
 * ResourceQuota means them, so that `requests.cpu` replaces the default
 * `cpu` instead of asking for CPU twice.
 */
export function mergeResources(defaults: Readonly<ResourcesInput>, given: Readonly<ResourcesInput> = {}): ResourcesInput {
  const givenKeys = new Set(Object.keys(given).map(normalizeResourceName));
  const kept = Object.entries(defaults).filter(([name]) => !givenKeys.has(normalizeResourceName(name)));
  return { ...Object.fromEntries(kept), ...given };
}

/**
 * Seconds the scoped token lives: as long as the Space may, so that a test
 * never outlives its credentials, within what Kubernetes issues (600 s at
 * least) and at most a day.
 */
export function tokenLifetimeSeconds(ttl: string): number {
  const seconds = Math.ceil((durationMs(ttl) ?? 0) / 1000);
  return Math.min(Math.max(seconds, 600), 86_400);
}

/**
 * Checks the options that need no cluster: the TTL's syntax and the budget
 * wait. Names are checked by {@link parseTenant} and {@link ephemeralSpaceName}.
 *
 * @throws {ValidationError} listing every problem.
 */
export function checkEphemeralOptions(options: { ttl?: string; waitForBudgetMs?: number; timeoutMs?: number }): void {
  const issues: ValidationIssue[] = [];
  if (options.ttl !== undefined && (typeof options.ttl !== 'string' || !DURATION_PATTERN.test(options.ttl))) {
    issues.push({
      path: 'ttl',
      message: `"${String(options.ttl)}" is not a duration: write one such as 30m, 2h or 1h30m; an ephemeral Space always has a TTL, so that the operator reaps it if the run crashes`,
    });
  }
  for (const field of ['waitForBudgetMs', 'timeoutMs'] as const) {
    const value = options[field];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
      issues.push({ path: field, message: `${String(value)} is not a number of milliseconds of 0 or more` });
    }
  }
  if (issues.length > 0) throw new ValidationError('ephemeral space', issues);
}

/**
 * What `spaces.create` gets for one ephemeral Space: a unique name, the
 * caller's resources over small defaults, a TTL that is always set, the
 * marker label and a display name that says which process made it.
 */
export function ephemeralSpaceInput(tenant: TenantRef, shape: EphemeralSpaceShape, suffix: string, origin: Origin): CreateSpaceInput {
  const name = ephemeralSpaceName(tenant, shape.prefix ?? DEFAULT_EPHEMERAL_PREFIX, suffix);
  return {
    organization: tenant.organization,
    tenant: tenant.name,
    name,
    displayName: `ephemeral Space of pid ${origin.pid} on ${origin.host}`.slice(0, 256),
    resources: mergeResources(DEFAULT_EPHEMERAL_RESOURCES, shape.resources),
    ttl: shape.ttl ?? DEFAULT_EPHEMERAL_TTL,
    labels: { ...shape.labels, [EPHEMERAL_LABEL]: 'true' },
    ...(shape.sandbox !== undefined && { sandbox: shape.sandbox }),
  };
}
