import { defineCommand, type Level, parseRef, type Ref, refPath, SHAPES } from '../define.ts';

export interface DeleteCommand {
  command: 'delete';
  ref: Ref;
  wait: boolean;
}

function deleteFor(lvl: Level, word: string, operands: string, aliases: readonly string[] = []) {
  return defineCommand({
    words: ['delete', word],
    aliases,
    operands,
    arity: { min: 1, max: 1, what: SHAPES[lvl].shape },
    summary: lvl === 'space' ? 'delete it and its namespace' : 'delete it, cascading down',
    flags: { 'no-wait': { type: 'boolean' } },
    parse: ({ values, operands: [path = ''] }): DeleteCommand => ({
      command: 'delete',
      ref: parseRef(path, lvl),
      wait: !(values['no-wait'] ?? false),
    }),
    async run({ ref, wait }, { connect, io }) {
      const kit = await connect();
      const options = { wait };
      if (ref.level === 'organization') await kit.organizations.delete(ref.organization, options);
      else if (ref.level === 'tenant') await kit.tenants.delete({ organization: ref.organization, name: ref.tenant }, options);
      else await kit.spaces.delete({ organization: ref.organization, tenant: ref.tenant, name: ref.space }, options);
      const what = `${ref.level} ${refPath(ref)}`;
      io.stdout(wait ? `deleted ${what}\n` : `deleting ${what}; its namespaces go in the background\n`);
      return 0;
    },
  });
}

export const deleteOrg = deleteFor('organization', 'org', 'NAME', ['organization']);
export const deleteTenant = deleteFor('tenant', 'tenant', 'ORG/NAME');
export const deleteSpace = deleteFor('space', 'space', 'ORG/TENANT/NAME');
