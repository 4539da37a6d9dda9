import type { Rights } from '@spacekit/sdk';
import { describe, expect, it } from 'vitest';
import { actionsAt, may, refusalOf, rightsContext, withheldNote } from './rights.ts';

const none: Rights = { createSpace: false, updateSpace: false, deleteSpace: false, issueCredentials: false, incomplete: false };
const admin: Rights = { ...none, createSpace: true, updateSpace: true, deleteSpace: true, issueCredentials: true };
const space = { organization: 'acme', tenant: 'pay', space: 'dev' };
const tenant = { organization: 'acme', tenant: 'pay' };

describe('rights in the Spaces view', () => {
  it('offers each action at its own level only', () => {
    expect(actionsAt(space)).toEqual(['resizeSpace', 'deleteSpace']);
    expect(actionsAt(tenant)).toEqual(['createSpace']);
    expect(actionsAt({ organization: 'acme' })).toEqual([]);
  });

  it('allows nothing until the server has answered', () => {
    expect(may(undefined, 'deleteSpace')).toBe(false);
    expect(rightsContext(space, undefined)).toBe('');
    expect(withheldNote(space, undefined)).toBe('');
  });

  it('names the allowed actions for the menus', () => {
    expect(rightsContext(space, admin)).toBe(' may-resizeSpace may-deleteSpace');
    expect(rightsContext(tenant, admin)).toBe(' may-createSpace');
    expect(rightsContext(space, { ...none, updateSpace: true })).toBe(' may-resizeSpace');
    expect(rightsContext(space, none)).toBe('');
  });

  it('says what is withheld and who can do it', () => {
    expect(withheldNote(space, none)).toBe("You may not resize or delete it: the Tenant's admins can.");
    expect(withheldNote(tenant, none)).toBe("You may not create Spaces in it: the Tenant's admins can.");
    expect(withheldNote(space, admin)).toBe('');
    expect(refusalOf(space, 'deleteSpace')).toBe(
      "You may not delete Space acme/pay/dev: the Tenant's admins can. Ask one of them, or switch to a context that has the right.",
    );
  });
});
