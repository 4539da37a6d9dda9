import { CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import {
  ConflictError,
  connect,
  NameError,
  NotFoundError,
  QuotaExceededError,
  type Organization,
  type Space,
  type Spacekit,
  SpacekitError,
  type SpacekitErrorCode,
  type Tenant,
  ValidationError,
} from '@spacekit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKubeConfig, impersonating, uniqueName } from '../support/kube.ts';
import { adminKit } from '../support/spacekit.ts';

/**
 * Bad inputs to the public SDK API. Each must be refused with a typed error
 * whose message tells a person what to change, and must leave the cluster
 * exactly as it was: no namespace, no object, no allocation, no spec change.
 */

const core = adminKubeConfig().makeApiClient(CoreV1Api);
const rbac = adminKubeConfig().makeApiClient(RbacAuthorizationV1Api);

const org = uniqueName('org');
const s1 = { organization: org, tenant: 't1', name: 's1' } as const;
const t1 = { organization: org, name: 't1' } as const;
/** A namespace nobody but this file made, whose name an organization then asks for. */
const squattedOrg = uniqueName('plain');
/** A plain namespace where a Space's namespace would go. */
const squattedSpace = 'squat';
const missingOrg = uniqueName('missing');

const ok = { cpu: '500m', memory: '256Mi' } as const;
const spaceIn = (name: string) => `${org}--t1--${name}`;

let kit: Spacekit;
/**
 * A user who may get, list and delete Organizations but not delete them as a
 * collection, so that a call which wrongly turns into a collection delete is
 * refused (403) instead of marking every Organization in the shared cluster
 * for deletion.
 */
const noCollectionUser = `${org}-no-collection`;
let noCollectionKit: Spacekit;

type ErrorClass = typeof ValidationError | typeof NameError | typeof QuotaExceededError | typeof NotFoundError | typeof ConflictError;

const CODES = new Map<ErrorClass, SpacekitErrorCode>([
  [ValidationError, 'VALIDATION'],
  [NameError, 'NAME'],
  [QuotaExceededError, 'QUOTA_EXCEEDED'],
  [NotFoundError, 'NOT_FOUND'],
  [ConflictError, 'CONFLICT'],
]);

interface BadInput {
  name: string;
  call: () => Promise<unknown>;
  error: ErrorClass;
  /** Fragments the message must contain: what is wrong and what to do instead. */
  message: readonly (string | RegExp)[];
  /** For QuotaExceededError: fields to assert. */
  quota?: { resource: string; requested: string; free: string };
  /** Namespaces the refused call could have made, which must not exist. */
  absentNamespaces?: readonly string[];
  /** Organizations the refused call could have made, which must not exist. */
  absentOrgs?: readonly string[];
}

const cases: BadInput[] = [
  // ── invalid names ────────────────────────────────────────────────────────
  {
    name: 'space name with uppercase',
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 'Dev', resources: ok }),
    error: NameError,
    message: ['"Dev"', 'lowercase letters'],
  },
  {
    name: 'space name with underscore',
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 'my_space', resources: ok }),
    error: NameError,
    message: ['"my_space"', 'lowercase letters, digits and hyphens'],
  },
  {
    name: 'space name with leading hyphen',
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: '-dev', resources: ok }),
    error: NameError,
    message: ['"-dev"', 'starting and ending with a letter or digit'],
  },
  {
    name: 'space name with trailing hyphen',
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 'dev-', resources: ok }),
    error: NameError,
    message: ['"dev-"', 'starting and ending with a letter or digit'],
  },
  {
    name: 'space name with double hyphen a--b',
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 'a--b', resources: ok }),
    error: NameError,
    message: ['"--"', 'use a single hyphen'],
    absentNamespaces: [spaceIn('a--b')],
  },
  {
    name: 'empty space name',
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: '', resources: ok }),
    error: NameError,
    message: ['empty', 'such as "payments"'],
  },
  {
    name: 'space name of 64 characters',
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 'a'.repeat(64), resources: ok }),
    error: NameError,
    message: ['64 characters', 'limit is 63'],
  },
  {
    name: 'tenant name with uppercase',
    call: () => kit.tenants.create({ organization: org, name: 'Payments', resources: ok }),
    error: NameError,
    message: ['"Payments"', 'lowercase letters'],
    absentNamespaces: [`${org}--payments`],
  },
  {
    name: 'tenant name with double hyphen',
    call: () => kit.tenants.create({ organization: org, name: 'a--b', resources: ok }),
    error: NameError,
    message: ['"--"', 'use a single hyphen'],
    absentNamespaces: [`${org}--a--b`],
  },
  {
    name: 'organization name with uppercase',
    call: () => kit.organizations.create({ name: 'Acme', resources: ok }),
    error: NameError,
    message: ['"Acme"', 'lowercase letters'],
    absentOrgs: ['Acme', 'acme'],
    absentNamespaces: ['acme'],
  },
  {
    name: 'organization name of 64 characters',
    call: () => kit.organizations.create({ name: 'o'.repeat(64), resources: ok }),
    error: NameError,
    message: ['64 characters', 'limit is 63'],
  },
  ...['default', 'kube-system', 'spacekit-system'].map(
    (reserved): BadInput => ({
      name: `reserved organization name ${reserved}`,
      call: () => kit.organizations.create({ name: reserved, resources: ok }),
      error: NameError,
      message: ['reserved', 'choose another'],
      absentOrgs: [reserved],
    }),
  ),
  {
    name: 'space namespace over 63 characters from org + tenant + space',
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 'a'.repeat(50), resources: ok }),
    error: NameError,
    message: [
      'Kubernetes allows 63',
      `Shorten the space name (or the tenant or organization name) by ${spaceIn('a'.repeat(50)).length - 63}`,
    ],
  },
  {
    name: 'tenant namespace over 63 characters from org + tenant',
    call: () => kit.tenants.create({ organization: org, name: 'b'.repeat(55), resources: ok }),
    error: NameError,
    message: ['Kubernetes allows 63', `Shorten the organization or tenant name by ${`${org}--${'b'.repeat(55)}`.length - 63}`],
  },

  // ── malformed quantities ────────────────────────────────────────────────
  {
    name: "quantity '1.5 GB'",
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 'q-gb', resources: { cpu: '500m', memory: '1.5 GB' } }),
    error: ValidationError,
    message: ['resources.memory', 'write 1Gi or 1G'],
    absentNamespaces: [spaceIn('q-gb')],
  },
  {
    name: "quantity 'abc'",
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 'q-abc', resources: { cpu: 'abc', memory: '256Mi' } }),
    error: ValidationError,
    message: ['resources.cpu: "abc" is not a Kubernetes quantity', 'such as 500m'],
    absentNamespaces: [spaceIn('q-abc')],
  },
  {
    name: "quantity '1,5'",
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 'q-comma', resources: { cpu: '1,5', memory: '256Mi' } }),
    error: ValidationError,
    message: ['resources.cpu', 'the decimal separator is a dot'],
    absentNamespaces: [spaceIn('q-comma')],
  },
  {
    name: "quantity '-1'",
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 'q-minus', resources: { cpu: '-1', memory: '256Mi' } }),
    error: ValidationError,
    message: ['resources.cpu', 'is negative; budgets must be zero or more'],
    absentNamespaces: [spaceIn('q-minus')],
  },
  {
    name: 'quantity NaN',
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 'q-nan', resources: { cpu: Number.NaN, memory: '256Mi' } }),
    error: ValidationError,
    // The value is a number, so the message must say what is wrong with it (not "expected ... a number").
    message: ['resources.cpu', /NaN.*finite|finite.*NaN/],
    absentNamespaces: [spaceIn('q-nan')],
  },
  {
    name: 'quantity Infinity',
    call: () =>
      kit.spaces.create({ organization: org, tenant: 't1', name: 'q-inf', resources: { cpu: Number.POSITIVE_INFINITY, memory: '256Mi' } }),
    error: ValidationError,
    message: ['resources.cpu', /Infinity.*finite|finite.*Infinity/],
    absentNamespaces: [spaceIn('q-inf')],
  },
  {
    name: "quantity '1e999'",
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 'q-huge', resources: { cpu: '1e999', memory: '256Mi' } }),
    error: ValidationError,
    message: ['resources.cpu: "1e999" is too large', 'the limit is'],
    absentNamespaces: [spaceIn('q-huge')],
  },
  {
    name: 'quantity empty string',
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 'q-empty', resources: { cpu: '', memory: '256Mi' } }),
    error: ValidationError,
    message: ['resources.cpu', 'it is empty; use a number'],
    absentNamespaces: [spaceIn('q-empty')],
  },
  {
    name: 'unknown resource name cpus',
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 'q-cpus', resources: { cpus: 1, memory: '256Mi' } }),
    error: ValidationError,
    message: ['"cpus" is not a resource ResourceQuota understands', 'use cpu'],
    absentNamespaces: [spaceIn('q-cpus')],
  },
  {
    name: 'cpu and requests.cpu together',
    call: () =>
      kit.spaces.create({ organization: org, tenant: 't1', name: 'q-dup', resources: { cpu: 1, 'requests.cpu': 1, memory: '256Mi' } }),
    error: ValidationError,
    message: ['"cpu" and "requests.cpu"', 'keep only one of them'],
    absentNamespaces: [spaceIn('q-dup')],
  },
  {
    name: 'negative space budget cpu: -1',
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 'q-neg', resources: { cpu: -1, memory: '256Mi' } }),
    error: ValidationError,
    message: ['resources.cpu', 'budgets must be zero or more'],
    absentNamespaces: [spaceIn('q-neg')],
  },
  {
    name: 'negative tenant budget cpu: -1',
    call: () => kit.tenants.create({ organization: org, name: 'neg', resources: { cpu: -1, memory: '256Mi' } }),
    error: ValidationError,
    message: ['resources.cpu', 'budgets must be zero or more'],
    absentNamespaces: [`${org}--neg`],
  },
  {
    name: 'negative organization budget cpu: -1',
    call: () => kit.organizations.create({ name: `${org}-neg`, resources: { cpu: -1 } }),
    error: ValidationError,
    message: ['resources.cpu', 'budgets must be zero or more'],
    absentOrgs: [`${org}-neg`],
    absentNamespaces: [`${org}-neg`],
  },

  // ── unknown fields, wrong types, bad enums ──────────────────────────────
  {
    name: 'unknown top-level field cpus',
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 'f-cpus', resources: ok, cpus: 2 } as never),
    error: ValidationError,
    message: ['Unrecognized key: "cpus"', 'check the spelling'],
    absentNamespaces: [spaceIn('f-cpus')],
  },
  {
    name: 'unknown network field presets',
    call: () =>
      kit.spaces.create({ organization: org, tenant: 't1', name: 'f-presets', resources: ok, network: { presets: 'x' } } as never),
    error: ValidationError,
    message: ['network', '"presets"; check the spelling'],
    absentNamespaces: [spaceIn('f-presets')],
  },
  {
    name: "resources: 'lots'",
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 'f-lots', resources: 'lots' } as never),
    error: ValidationError,
    message: ['resources', /expected (record|object)/],
    absentNamespaces: [spaceIn('f-lots')],
  },
  {
    name: "members: 'alice'",
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 'f-members', resources: ok, members: 'alice' } as never),
    error: ValidationError,
    message: ['members', 'expected array'],
    absentNamespaces: [spaceIn('f-members')],
  },
  {
    name: "sandbox: 'kata'",
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 'f-kata', resources: ok, sandbox: 'kata' } as never),
    error: ValidationError,
    message: ['sandbox', '"gvisor"|"none"'],
    absentNamespaces: [spaceIn('f-kata')],
  },
  {
    name: "podSecurity: 'open'",
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 'f-open', resources: ok, podSecurity: 'open' } as never),
    error: ValidationError,
    message: ['podSecurity', '"restricted"|"baseline"|"privileged"'],
    absentNamespaces: [spaceIn('f-open')],
  },
  {
    name: "network preset 'world'",
    call: () =>
      kit.spaces.create({ organization: org, tenant: 't1', name: 'f-world', resources: ok, network: { preset: 'world' } } as never),
    error: ValidationError,
    message: ['network.preset', '"isolated"|"tenant"|"organization"'],
    absentNamespaces: [spaceIn('f-world')],
  },
  {
    name: 'member without role',
    call: () =>
      kit.spaces.create({
        organization: org,
        tenant: 't1',
        name: 'f-norole',
        resources: ok,
        members: [{ kind: 'User', name: 'alice' }],
      } as never),
    error: ValidationError,
    message: ['members.0.role', '"admin"|"developer"|"viewer"'],
    absentNamespaces: [spaceIn('f-norole')],
  },
  {
    name: 'ServiceAccount member without namespace',
    call: () =>
      kit.spaces.create({
        organization: org,
        tenant: 't1',
        name: 'f-sa',
        resources: ok,
        members: [{ kind: 'ServiceAccount', name: 'ci', role: 'developer' }],
      }),
    error: ValidationError,
    message: ['members.0.namespace', 'a ServiceAccount member needs its namespace'],
    absentNamespaces: [spaceIn('f-sa')],
  },
  {
    name: 'User member with namespace',
    call: () =>
      kit.spaces.create({
        organization: org,
        tenant: 't1',
        name: 'f-userns',
        resources: ok,
        members: [{ kind: 'User', name: 'alice', namespace: 'team', role: 'developer' }],
      }),
    error: ValidationError,
    message: ['members.0.namespace', 'only to ServiceAccount members'],
    absentNamespaces: [spaceIn('f-userns')],
  },
  {
    name: "allowFrom 'no-slash'",
    call: () =>
      kit.spaces.create({ organization: org, tenant: 't1', name: 'f-noslash', resources: ok, network: { allowFrom: ['no-slash'] } }),
    error: ValidationError,
    message: ['network.allowFrom.0', 'write tenant/space'],
    absentNamespaces: [spaceIn('f-noslash')],
  },
  {
    name: "allowFrom 'a/b/c'",
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 'f-abc', resources: ok, network: { allowFrom: ['a/b/c'] } }),
    error: ValidationError,
    message: ['"a/b/c" is not a Space reference', 'write tenant/space'],
    absentNamespaces: [spaceIn('f-abc')],
  },
  {
    name: 'tenant with unknown field quota',
    call: () => kit.tenants.create({ organization: org, name: 'f-quota', resources: ok, quota: 2 } as never),
    error: ValidationError,
    message: ['Unrecognized key: "quota"', 'check the spelling'],
    absentNamespaces: [`${org}--f-quota`],
  },
  {
    name: 'organization policy with misspelt allowPrivilged',
    call: () => kit.organizations.create({ name: `${org}-typo`, resources: ok, policy: { allowPrivilged: true } } as never),
    error: ValidationError,
    message: ['policy', '"allowPrivilged"; check the spelling'],
    absentOrgs: [`${org}-typo`],
    absentNamespaces: [`${org}-typo`],
  },

  // ── missing parents ─────────────────────────────────────────────────────
  {
    name: 'space in a tenant that does not exist',
    call: () => kit.spaces.create({ organization: org, tenant: 'nope', name: 'dev', resources: ok }),
    error: NotFoundError,
    message: [`tenant "${org}/nope" does not exist`, 'create it first'],
    absentNamespaces: [`${org}--nope`, `${org}--nope--dev`],
  },
  {
    name: 'tenant in an organization that does not exist',
    call: () => kit.tenants.create({ organization: missingOrg, name: 'payments', resources: ok }),
    error: NotFoundError,
    message: [`organization "${missingOrg}" does not exist`, 'create it first'],
    absentOrgs: [missingOrg],
    absentNamespaces: [missingOrg, `${missingOrg}--payments`],
  },
  {
    name: 'space in an organization that does not exist',
    call: () => kit.spaces.create({ organization: missingOrg, tenant: 't1', name: 'dev', resources: ok }),
    error: NotFoundError,
    message: [`organization "${missingOrg}" does not exist`, 'create it first'],
    absentOrgs: [missingOrg],
    absentNamespaces: [missingOrg, `${missingOrg}--t1`, `${missingOrg}--t1--dev`],
  },

  // ── organization policy ─────────────────────────────────────────────────
  {
    name: "sandbox: 'none' when the organization does not allow it",
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 'p-nosandbox', resources: ok, sandbox: 'none' }),
    error: ValidationError,
    message: ['sandbox', 'policy.allowUnsandboxed'],
    absentNamespaces: [spaceIn('p-nosandbox')],
  },
  {
    name: "podSecurity: 'privileged' when the organization does not allow it",
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 'p-priv', resources: ok, podSecurity: 'privileged' }),
    error: ValidationError,
    message: ['podSecurity', 'policy.allowPrivileged'],
    absentNamespaces: [spaceIn('p-priv')],
  },
  {
    name: "update s1 to sandbox: 'none' when not allowed",
    call: () => kit.spaces.update(s1, { sandbox: 'none' }),
    error: ValidationError,
    message: ['sandbox', 'policy.allowUnsandboxed'],
  },
  {
    name: "update s1 to podSecurity: 'privileged' when not allowed",
    call: () => kit.spaces.update(s1, { podSecurity: 'privileged' }),
    error: ValidationError,
    message: ['podSecurity', 'policy.allowPrivileged'],
  },

  // ── budgets ─────────────────────────────────────────────────────────────
  {
    name: "space above the tenant's remaining budget",
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 'b-big', resources: { cpu: 2, memory: '1Gi' } }),
    error: QuotaExceededError,
    message: [`tenant ${org}/t1 has only 1 free of 2`, 'Ask for 1 or less'],
    quota: { resource: 'requests.cpu', requested: '2', free: '1' },
    absentNamespaces: [spaceIn('b-big')],
  },
  {
    name: 'space missing memory, which the tenant budgets',
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 'b-nomem', resources: { cpu: '500m' } }),
    error: QuotaExceededError,
    message: ['must ask for requests.memory', 'Add requests.memory to its resources'],
    quota: { resource: 'requests.memory', requested: 'nothing', free: '3Gi' },
    absentNamespaces: [spaceIn('b-nomem')],
  },
  {
    name: 'tenant update shrinking cpu below what s1 holds',
    call: () => kit.tenants.update(t1, { resources: { cpu: '500m', memory: '4Gi' } }),
    error: QuotaExceededError,
    message: ['cannot shrink requests.cpu to 500m', 'space/s1 (1)'],
    quota: { resource: 'requests.cpu', requested: '500m', free: '0' },
  },
  {
    name: 'tenant update shrinking memory below what s1 holds',
    call: () => kit.tenants.update(t1, { resources: { cpu: 2, memory: '512Mi' } }),
    error: QuotaExceededError,
    message: ['cannot shrink requests.memory to 512Mi', 'keep requests.memory at 1Gi or more'],
    quota: { resource: 'requests.memory', requested: '512Mi', free: '0' },
  },
  {
    name: "space update growing beyond the tenant's budget",
    call: () => kit.spaces.update(s1, { resources: { cpu: 3, memory: '1Gi' } }),
    error: QuotaExceededError,
    message: ['asks for requests.cpu=3', 'Ask for 2 or less'],
    quota: { resource: 'requests.cpu', requested: '3', free: '2' },
  },
  {
    name: 'space update dropping memory, which the tenant budgets',
    call: () => kit.spaces.update(s1, { resources: { cpu: 1 } }),
    error: QuotaExceededError,
    message: ['must ask for requests.memory', 'Add requests.memory'],
    quota: { resource: 'requests.memory', requested: 'nothing', free: '4Gi' },
  },
  {
    name: "tenant above the organization's remaining budget",
    call: () => kit.tenants.create({ organization: org, name: 'b-big', resources: { cpu: 3, memory: '1Gi' } }),
    error: QuotaExceededError,
    message: [`organization ${org} has only 2 free of 4`, 'Ask for 2 or less'],
    quota: { resource: 'requests.cpu', requested: '3', free: '2' },
    absentNamespaces: [`${org}--b-big`],
  },
  {
    name: "tenant update growing beyond the organization's budget",
    call: () => kit.tenants.update(t1, { resources: { cpu: 5, memory: '4Gi' } }),
    error: QuotaExceededError,
    message: ['asks for requests.cpu=5', 'Ask for 4 or less'],
    quota: { resource: 'requests.cpu', requested: '5', free: '4' },
  },
  {
    name: 'organization update shrinking below what t1 holds',
    call: () => kit.organizations.update(org, { resources: { cpu: 1, memory: '8Gi' } }),
    error: QuotaExceededError,
    message: ['cannot shrink requests.cpu to 1', 'tenant/t1 (2)'],
    quota: { resource: 'requests.cpu', requested: '1', free: '0' },
  },

  // ── bad updates ─────────────────────────────────────────────────────────
  {
    name: "space update with quantity 'abc'",
    call: () => kit.spaces.update(s1, { resources: { cpu: 'abc', memory: '1Gi' } }),
    error: ValidationError,
    message: ['resources.cpu: "abc" is not a Kubernetes quantity', 'such as 500m'],
  },
  {
    name: "tenant update with members: 'alice'",
    call: () => kit.tenants.update(t1, { members: 'alice' } as never),
    error: ValidationError,
    message: ['members', 'expected array'],
  },
  {
    name: 'organization update with unknown field polcy',
    call: () => kit.organizations.update(org, { polcy: { allowPrivileged: true } } as never),
    error: ValidationError,
    message: ['Unrecognized key: "polcy"', 'check the spelling'],
  },
  {
    name: 'update of a space that does not exist',
    call: () => kit.spaces.update({ organization: org, tenant: 't1', name: 'ghost' }, { displayName: 'Ghost' }),
    error: NotFoundError,
    message: [`space ${org}/t1/ghost does not exist`],
    absentNamespaces: [spaceIn('ghost')],
  },

  // ── duplicates ──────────────────────────────────────────────────────────
  {
    name: 'creating s1 again',
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: 's1', resources: { cpu: '500m', memory: '512Mi' } }),
    error: ConflictError,
    message: [`space ${org}/t1/s1 already exists`, 'use update to change it'],
  },
  {
    name: 'creating t1 again',
    call: () => kit.tenants.create({ organization: org, name: 't1', resources: ok }),
    error: ConflictError,
    message: [`tenant ${org}/t1 already exists`, 'use update to change it'],
  },
  {
    name: 'creating the organization again',
    call: () => kit.organizations.create({ name: org, resources: { cpu: 1, memory: '1Gi' } }),
    error: ConflictError,
    message: [`organization ${org} already exists`, 'use update to change it'],
  },
  {
    name: 'organization whose namespace is a non-Spacekit namespace',
    call: () => kit.organizations.create({ name: squattedOrg, resources: ok }),
    error: ConflictError,
    message: [`namespace ${squattedOrg} already exists and is not managed by Spacekit`, 'choose another name or remove that namespace'],
    absentOrgs: [squattedOrg],
  },
  {
    name: 'space whose namespace is a non-Spacekit namespace',
    call: () => kit.spaces.create({ organization: org, tenant: 't1', name: squattedSpace, resources: ok }),
    error: ConflictError,
    message: [`namespace ${spaceIn(squattedSpace)} already exists and is not managed by Spacekit`, 'choose another name'],
  },

  // ── get / delete of what does not exist ─────────────────────────────────
  {
    name: 'get of a space that does not exist',
    call: () => kit.spaces.get({ organization: org, tenant: 't1', name: 'ghost' }),
    error: NotFoundError,
    message: [`space ${org}/t1/ghost does not exist`],
  },
  {
    name: 'delete of a space that does not exist',
    call: () => kit.spaces.delete({ organization: org, tenant: 't1', name: 'ghost' }),
    error: NotFoundError,
    message: [`space ${org}/t1/ghost does not exist`],
  },
  {
    name: 'delete of a space in a tenant that does not exist',
    call: () => kit.spaces.delete({ organization: org, tenant: 'nope', name: 'dev' }),
    error: NotFoundError,
    message: [/does not exist/],
  },
  {
    name: 'get of a tenant that does not exist',
    call: () => kit.tenants.get({ organization: org, name: 'ghost' }),
    error: NotFoundError,
    message: [`tenant ${org}/ghost does not exist`],
  },
  {
    name: 'delete of a tenant that does not exist',
    call: () => kit.tenants.delete({ organization: org, name: 'ghost' }),
    error: NotFoundError,
    message: [`tenant ${org}/ghost does not exist`],
  },
  {
    name: 'get of an organization that does not exist',
    call: () => kit.organizations.get(missingOrg),
    error: NotFoundError,
    message: [`organization ${missingOrg} does not exist`],
  },
  // An empty name must not reach the apiserver: `…/spaces/` is the collection, not an object.
  {
    name: 'get of a space with an empty name',
    call: () => kit.spaces.get({ organization: org, tenant: 't1', name: '' }),
    error: NameError,
    message: ['space name is empty'],
  },
  {
    name: 'get of a tenant with an empty name',
    call: () => kit.tenants.get({ organization: org, name: '' }),
    error: NameError,
    message: ['tenant name is empty'],
  },
  {
    name: 'get of an organization with an empty name',
    call: () => kit.organizations.get(''),
    error: NameError,
    message: ['organization name is empty'],
  },
  {
    name: 'delete of a space with an empty name',
    call: () => kit.spaces.delete({ organization: org, tenant: 't1', name: '' }),
    error: NameError,
    message: ['space name is empty'],
  },
  {
    name: 'delete of a tenant with an empty name',
    call: () => kit.tenants.delete({ organization: org, name: '' }),
    error: NameError,
    message: ['tenant name is empty'],
  },
  {
    // Run as a user without deletecollection: with the admin, this call marks every Organization in the cluster for deletion.
    name: 'delete of an organization with an empty name',
    call: () => noCollectionKit.organizations.delete(''),
    error: NameError,
    message: ['organization name is empty'],
  },
];

interface Baseline {
  org: Organization;
  tenant: Tenant;
  space: Space;
  namespaces: string[];
}

let baseline: Baseline;

/**
 * The namespaces this file's calls could make or take over, each marked when
 * Spacekit manages it. Other test files share the cluster, so the rest is not compared.
 */
async function namespaceNames(): Promise<string[]> {
  const ours = (name: string) =>
    name.startsWith(org) ||
    name.startsWith(missingOrg) ||
    name.startsWith(squattedOrg) ||
    ['acme', 'default', 'kube-system', 'spacekit-system'].includes(name);
  return (await core.listNamespace()).items
    .filter((n) => ours(n.metadata?.name ?? ''))
    .map((n) => `${n.metadata?.name}${n.metadata?.labels?.['app.kubernetes.io/managed-by'] === 'spacekit' ? ' (managed by spacekit)' : ''}`)
    .sort();
}

async function snapshot(): Promise<Baseline> {
  const [o, t, s, namespaces] = await Promise.all([kit.organizations.get(org), kit.tenants.get(t1), kit.spaces.get(s1), namespaceNames()]);
  return { org: o, tenant: t, space: s, namespaces };
}

async function namespaceExists(name: string): Promise<boolean> {
  try {
    await core.readNamespace({ name });
    return true;
  } catch (err) {
    if ((err as { code?: number }).code === 404) return false;
    throw err;
  }
}

async function orgExists(name: string): Promise<boolean> {
  try {
    await kit.organizations.get(name);
    return true;
  } catch (err) {
    // A name the SDK refuses outright cannot name an existing organization either.
    if (err instanceof NotFoundError || err instanceof NameError) return false;
    throw err;
  }
}

/** Everything the refused call left behind, as sentences; empty when it left nothing. */
async function leftovers(c: BadInput): Promise<string[]> {
  const problems: string[] = [];
  const now = await snapshot();
  const same = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(`${what} changed: ${JSON.stringify(b)} → ${JSON.stringify(a)}`);
  };
  same('tenant t1 status.usage.allocated', now.tenant.status?.usage?.allocated, baseline.tenant.status?.usage?.allocated);
  same('organization status.usage.allocated', now.org.status?.usage?.allocated, baseline.org.status?.usage?.allocated);
  same('space s1 status.allocation', now.space.status?.allocation, baseline.space.status?.allocation);
  same('organization spec', now.org.spec, baseline.org.spec);
  same('tenant t1 spec', now.tenant.spec, baseline.tenant.spec);
  same('space s1 spec', now.space.spec, baseline.space.spec);
  same('namespaces this file could make', now.namespaces, baseline.namespaces);
  for (const [what, object] of [
    ['organization', now.org],
    ['tenant t1', now.tenant],
    ['space s1', now.space],
  ] as const) {
    if (object.metadata.deletionTimestamp)
      problems.push(`${what} is being deleted (deletionTimestamp ${object.metadata.deletionTimestamp})`);
  }
  same('spaces of the organization', (await kit.spaces.list({ organization: org })).map((s) => s.metadata.name).sort(), ['s1']);
  same('tenants of the organization', (await kit.tenants.list({ organization: org })).map((t) => t.metadata.name).sort(), ['t1']);
  for (const ns of c.absentNamespaces ?? []) if (await namespaceExists(ns)) problems.push(`namespace ${ns} exists`);
  for (const o of c.absentOrgs ?? []) if (await orgExists(o)) problems.push(`organization ${o} exists`);
  return problems;
}

/** Best effort: undoes what an accepted bad input made, so later cases start from the baseline. */
async function undo(c: BadInput): Promise<void> {
  const quiet = (p: Promise<unknown>) => p.catch(() => undefined);
  for (const s of await kit.spaces.list({ organization: org })) {
    const tenant = s.metadata.labels?.['spacekit.dev/tenant'] ?? 't1';
    if (!(tenant === 't1' && s.metadata.name === 's1'))
      await quiet(kit.spaces.delete({ organization: org, tenant, name: s.metadata.name }));
  }
  for (const t of await kit.tenants.list({ organization: org })) {
    if (t.metadata.name !== 't1') await quiet(kit.tenants.delete({ organization: org, name: t.metadata.name }));
  }
  for (const o of c.absentOrgs ?? []) if (await orgExists(o)) await quiet(kit.organizations.delete(o));
  await quiet(kit.spaces.update(s1, baseline.space.spec));
  await quiet(kit.tenants.update(t1, baseline.tenant.spec));
  await quiet(kit.organizations.update(org, baseline.org.spec));
}

const results = new Map<string, { typed: boolean; clean: boolean }>();

describe('the SDK refuses bad input with a typed, actionable error and leaves nothing behind', () => {
  beforeAll(async () => {
    kit = await adminKit();
    await core.createNamespace({ body: { metadata: { name: squattedOrg } } });
    await kit.organizations.create({ name: org, resources: { cpu: 4, memory: '8Gi' } });
    await kit.tenants.create({ organization: org, name: 't1', resources: { cpu: 2, memory: '4Gi' } });
    await kit.spaces.create({ ...s1, resources: { cpu: 1, memory: '1Gi' } });
    await core.createNamespace({ body: { metadata: { name: spaceIn(squattedSpace) } } });
    await rbac.createClusterRole({
      body: {
        metadata: { name: noCollectionUser },
        rules: [{ apiGroups: ['spacekit.dev'], resources: ['organizations', 'tenants', 'spaces'], verbs: ['get', 'list', 'delete'] }],
      },
    });
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: noCollectionUser },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: noCollectionUser },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: noCollectionUser }],
      },
    });
    noCollectionKit = await connect({ kubeconfig: impersonating(adminKubeConfig(), noCollectionUser) });
    baseline = await snapshot();
    expect(baseline.space.status?.allocation).toEqual({ 'requests.cpu': '1', 'requests.memory': '1Gi' });
    expect(baseline.tenant.status?.allocation).toEqual({ 'requests.cpu': '2', 'requests.memory': '4Gi' });
    expect(baseline.tenant.status?.usage?.allocated).toEqual({ 'requests.cpu': '1', 'requests.memory': '1Gi' });
    expect(baseline.org.status?.usage?.allocated).toEqual({ 'requests.cpu': '2', 'requests.memory': '4Gi' });
  });

  afterAll(async () => {
    const typed = [...results.values()].filter((r) => r.typed).length;
    const clean = [...results.values()].filter((r) => r.clean).length;
    console.log(`bad inputs: ${cases.length} cases, ${typed} typed, ${clean} left nothing behind`);
    if (kit) await kit.organizations.delete(org).catch((err: unknown) => console.error(`cleanup: ${String(err)}`));
    for (const name of [squattedOrg, spaceIn(squattedSpace)]) await core.deleteNamespace({ name }).catch(() => undefined);
    await rbac.deleteClusterRoleBinding({ name: noCollectionUser }).catch(() => undefined);
    await rbac.deleteClusterRole({ name: noCollectionUser }).catch(() => undefined);
  });

  it('has at least 30 distinct cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const writesBefore = kit.writes + noCollectionKit.writes;
    const outcome = await c.call().then(
      (value) => ({ accepted: true as const, value }),
      (error: unknown) => ({ accepted: false as const, error }),
    );
    const writes = kit.writes + noCollectionKit.writes - writesBefore;
    const problems = await leftovers(c);
    // Refused before the cluster was asked: the error classes that promise "nothing was sent" make no write.
    if (!outcome.accepted && (c.error === ValidationError || c.error === NameError) && writes !== 0) {
      problems.push(`made ${writes} write(s) although ${c.error.name} promises nothing was sent`);
    }
    const expectedCode = CODES.get(c.error);
    const typed = !outcome.accepted && outcome.error instanceof c.error && (outcome.error as SpacekitError).code === expectedCode;
    results.set(c.name, { typed, clean: problems.length === 0 });
    if (outcome.accepted || problems.length > 0) await undo(c);

    expect(
      outcome.accepted,
      `the bad input was accepted: ${JSON.stringify(outcome.accepted ? outcome.value : undefined)?.slice(0, 300)}`,
    ).toBe(false);
    if (outcome.accepted) return;
    const err = outcome.error;
    expect(
      err,
      `expected ${c.error.name}, got ${(err as Error)?.constructor?.name}: ${String((err as Error)?.message ?? err)}`,
    ).toBeInstanceOf(c.error);
    expect(err).toBeInstanceOf(SpacekitError);
    const e = err as SpacekitError;
    expect(e.code).toBe(expectedCode);
    expect(e.name).toBe(c.error.name);
    for (const fragment of c.message) {
      if (typeof fragment === 'string') expect(e.message).toContain(fragment);
      else expect(e.message).toMatch(fragment);
    }
    if (e instanceof ValidationError) expect(e.issues.length).toBeGreaterThan(0);
    if (c.quota) {
      const q = e as QuotaExceededError;
      expect({ resource: q.resource, requested: q.requested, free: q.free }).toEqual(c.quota);
      expect(q.parent).not.toBe('');
    }
    expect(problems, 'the refused call left something behind').toEqual([]);
  });
});
