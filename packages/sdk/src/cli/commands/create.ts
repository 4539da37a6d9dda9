import type { CreateOrganizationInput, CreateSpaceInput, CreateTenantInput } from '../../api/inputs.ts';
import { defineCommand, type OutputFormat, OUTPUT_FLAG, outputFormat, parseRef, RESOURCE_FLAGS, SHAPES } from '../define.ts';
import { resourcesFromFlags } from '../resources.ts';
import { MEMBER_FLAGS, members, SPACE_MEMBER_FLAGS, SPACE_SETTINGS_FLAGS, spaceSpecFromFlags } from '../space-flags.ts';

export interface CreateOrgCommand {
  command: 'create-org';
  output: OutputFormat;
  input: CreateOrganizationInput;
}

export interface CreateTenantCommand {
  command: 'create-tenant';
  output: OutputFormat;
  input: CreateTenantInput;
}

export interface CreateSpaceCommand {
  command: 'create-space';
  output: OutputFormat;
  input: CreateSpaceInput;
}

const one = (what: string) => ({ min: 1, max: 1, what });

/** `spacekit create org NAME`. */
export const createOrg = defineCommand({
  words: ['create', 'org'],
  aliases: ['organization'],
  operands: 'NAME',
  arity: one(SHAPES.organization.shape),
  summary: 'an organization and its budget',
  flags: {
    ...RESOURCE_FLAGS,
    ...MEMBER_FLAGS,
    'allow-unsandboxed': { type: 'boolean' },
    'allow-privileged': { type: 'boolean' },
    ...OUTPUT_FLAG,
  },
  parse({ values: v, operands: [name = ''] }): CreateOrgCommand {
    const ref = parseRef(name, 'organization');
    const policy = {
      ...(v['allow-unsandboxed'] && { allowUnsandboxed: true }),
      ...(v['allow-privileged'] && { allowPrivileged: true }),
    };
    const input: CreateOrganizationInput = {
      name: ref.organization,
      resources: resourcesFromFlags(v),
      members: [...members(v.admin, 'admin'), ...members(v.viewer, 'viewer')],
      ...(Object.keys(policy).length > 0 && { policy }),
    };
    return { command: 'create-org', output: outputFormat(v.output), input };
  },
  async run(c, { connect, print }) {
    const [kit, { formatSaved }] = await Promise.all([connect(), import('../output.ts')]);
    const org = await kit.organizations.create(c.input);
    await print(c.output, org, () => formatSaved('created', org));
    return 0;
  },
});

/** `spacekit create tenant ORG/NAME`. */
export const createTenant = defineCommand({
  words: ['create', 'tenant'],
  operands: 'ORG/NAME',
  arity: one(SHAPES.tenant.shape),
  summary: "a tenant, from the organization's budget",
  flags: { ...RESOURCE_FLAGS, ...MEMBER_FLAGS, ...OUTPUT_FLAG },
  parse({ values: v, operands: [path = ''] }): CreateTenantCommand {
    const ref = parseRef(path, 'tenant');
    const input: CreateTenantInput = {
      organization: ref.organization,
      name: ref.tenant,
      resources: resourcesFromFlags(v),
      members: [...members(v.admin, 'admin'), ...members(v.viewer, 'viewer')],
    };
    return { command: 'create-tenant', output: outputFormat(v.output), input };
  },
  async run(c, { connect, print }) {
    const [kit, { formatSaved }] = await Promise.all([connect(), import('../output.ts')]);
    const tenant = await kit.tenants.create(c.input);
    await print(c.output, tenant, () => formatSaved('created', tenant));
    return 0;
  },
});

/** `spacekit create space ORG/TENANT/NAME`. */
export const createSpace = defineCommand({
  words: ['create', 'space'],
  operands: 'ORG/TENANT/NAME',
  arity: one(SHAPES.space.shape),
  summary: "a Space, from the tenant's budget: a namespace isolated, capped and sandboxed",
  flags: { ...RESOURCE_FLAGS, ...SPACE_SETTINGS_FLAGS, ...SPACE_MEMBER_FLAGS, ...OUTPUT_FLAG },
  parse({ values: v, operands: [path = ''] }): CreateSpaceCommand {
    const ref = parseRef(path, 'space');
    const input: CreateSpaceInput = { organization: ref.organization, tenant: ref.tenant, name: ref.space, ...spaceSpecFromFlags(v) };
    return { command: 'create-space', output: outputFormat(v.output), input };
  },
  async run(c, { connect, print }) {
    const [kit, { formatSaved }] = await Promise.all([connect(), import('../output.ts')]);
    const space = await kit.spaces.create(c.input);
    await print(c.output, space, () => formatSaved('created', space));
    return 0;
  },
});
