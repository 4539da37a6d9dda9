// Every `spacekit` command, in the order the help lists them. The parser, the help text and the
// flags that take a value are all derived from this table.
import type { AnyCommandDefinition } from '../define.ts';
import { createOrg, createSpace, createTenant } from './create.ts';
import { deleteOrg, deleteSpace, deleteTenant } from './delete.ts';
import { get } from './get.ts';
import { help } from './help.ts';
import { install, uninstall } from './install.ts';
import { operator } from './operator.ts';
import { render } from './render.ts';
import { up } from './up.ts';
import { updateOrg, updateSpace, updateTenant } from './update.ts';
import { usage, usageReport } from './usage.ts';
import { verify } from './verify.ts';

export const COMMANDS: readonly AnyCommandDefinition[] = [
  up,
  install,
  uninstall,
  operator,
  usage,
  usageReport,
  get,
  verify,
  createOrg,
  createTenant,
  createSpace,
  updateOrg,
  updateTenant,
  updateSpace,
  deleteOrg,
  deleteTenant,
  deleteSpace,
  render,
  help,
];
