import type { Spacekit } from '../../spacekit.ts';
import type { Organization, Space, Tenant } from '../../model/index.ts';
import {
  defineCommand,
  type Level,
  type OutputFormat,
  OUTPUT_FLAG,
  outputFormat,
  parseRef,
  type Ref,
  RESOURCE_FLAGS,
  SHAPES,
} from '../define.ts';
import { UsageError } from '../errors.ts';
import { mergeResources, resourcesFromFlags } from '../resources.ts';
import { type SpaceChanges, SPACE_SETTINGS_FLAGS, spaceSettings } from '../space-flags.ts';

export interface UpdateCommand {
  command: 'update';
  output: OutputFormat;
  ref: Ref;
  resources: Record<string, string>;
  space: SpaceChanges;
}

const UPDATE_FLAGS = { ...RESOURCE_FLAGS, ...OUTPUT_FLAG } as const;
const UPDATE_SPACE_FLAGS = { ...RESOURCE_FLAGS, ...SPACE_SETTINGS_FLAGS, ...OUTPUT_FLAG } as const;

function updateFor(
  lvl: Level,
  word: string,
  operands: string,
  flags: typeof UPDATE_FLAGS | typeof UPDATE_SPACE_FLAGS,
  aliases: readonly string[] = [],
) {
  const changeable = Object.keys(flags)
    .filter((f) => f !== 'output')
    .map((f) => `--${f}`);
  const listed = `${changeable.slice(0, -1).join(', ')} or ${changeable.at(-1) ?? ''}`;
  return defineCommand({
    words: ['update', word],
    aliases,
    operands,
    arity: { min: 1, max: 1, what: SHAPES[lvl].shape },
    summary:
      lvl === 'space' ? 'resize (other resources keep their values) or change its settings' : 'resize (other resources keep their values)',
    flags: flags as typeof UPDATE_SPACE_FLAGS,
    parse({ values: v, operands: [path = ''], lead }): UpdateCommand {
      const ref = parseRef(path, lvl);
      const resources = resourcesFromFlags(v);
      const space = lvl === 'space' ? spaceSettings(v) : {};
      if (Object.keys(resources).length === 0 && Object.keys(space).length === 0)
        throw new UsageError(`${lead} needs something to change: ${listed}`);
      return { command: 'update', output: outputFormat(v.output), ref, resources, space };
    },
    async run(c, { connect, print }) {
      const [kit, { formatSaved }] = await Promise.all([connect(), import('../output.ts')]);
      const updated = await update(kit, c);
      await print(c.output, updated, () => formatSaved('updated', updated));
      return 0;
    },
  });
}

export const updateOrg = updateFor('organization', 'org', 'NAME', UPDATE_FLAGS, ['organization']);
export const updateTenant = updateFor('tenant', 'tenant', 'ORG/NAME', UPDATE_FLAGS);
export const updateSpace = updateFor('space', 'space', 'ORG/TENANT/NAME', UPDATE_SPACE_FLAGS);

async function update(kit: Spacekit, { ref, resources, space: changes }: UpdateCommand): Promise<Organization | Tenant | Space> {
  const resize = Object.keys(resources).length > 0;
  if (ref.level === 'organization') {
    const current = await kit.organizations.get(ref.organization);
    return kit.organizations.update(ref.organization, { resources: mergeResources(current.spec.resources, resources) });
  }
  if (ref.level === 'tenant') {
    const tenantRef = { organization: ref.organization, name: ref.tenant };
    const current = await kit.tenants.get(tenantRef);
    return kit.tenants.update(tenantRef, { resources: mergeResources(current.spec.resources, resources) });
  }
  const spaceRef = { organization: ref.organization, tenant: ref.tenant, name: ref.space };
  const current = await kit.spaces.get(spaceRef);
  // A change replaces whole fields, so keep the parts of the network the user did not mention.
  return kit.spaces.update(spaceRef, {
    ...(resize && { resources: mergeResources(current.spec.resources, resources) }),
    ...(changes.sandbox !== undefined && { sandbox: changes.sandbox }),
    ...(changes.podSecurity !== undefined && { podSecurity: changes.podSecurity }),
    ...(changes.network !== undefined && { network: { ...current.spec.network, ...changes.network } }),
  });
}
