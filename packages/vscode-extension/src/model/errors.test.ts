import { ConflictError, ForbiddenError, NotFoundError, QuotaExceededError, ValidationError } from '@spacekit/sdk';
import { describe, expect, it } from 'vitest';
import { describeError, parentScope } from './errors.ts';

describe('errors as the user sees them', () => {
  it("keeps the SDK's actionable message and offers the budget dashboard for a quota refusal", () => {
    const err = new QuotaExceededError({
      resource: 'requests.cpu',
      parent: 'tenant/acme/payments',
      requested: '5',
      budget: '3',
      free: '2',
      holders: [{ name: 'space/payments/web', amount: '1' }],
      message: 'space acme/payments/big asks for requests.cpu=5, but tenant acme/payments has only 2 free of 3 (held by space/web (1))',
    });
    const report = describeError('create Space acme/payments/big', err);
    expect(report.message).toBe(`Could not create Space acme/payments/big: ${err.message}`);
    expect(report.actions).toEqual([
      { title: 'Open Budget Dashboard', command: 'spacekit.openDashboard', args: [{ organization: 'acme', tenant: 'payments' }] },
    ]);
  });

  it('lists validation issues on one line, and offers a context switch for a refusal by RBAC', () => {
    const invalid = describeError(
      'create Space',
      new ValidationError('space', [
        { path: 'resources.cpu', message: 'not a quantity' },
        { path: '', message: 'bad' },
      ]),
    );
    expect(invalid.message).toBe('Could not create Space: resources.cpu: not a quantity; bad');
  });

  it('says who may do what the server refused, without its raw text, and offers a refresh', () => {
    const raw =
      'spaces.spacekit.dev "c" is forbidden: User "dave" cannot delete resource "spaces" in API group "spacekit.dev" in the namespace "a--b"';
    const forbidden = describeError({ doing: 'delete Space a/b/c', whoCan: "the Tenant's admins" }, new ForbiddenError(raw));
    expect(forbidden.message).toBe(
      "Could not delete Space a/b/c: you may not do this (the API server refused it). The Tenant's admins can; ask one of them, or use a context that has the right. Refresh to see what you may do now.",
    );
    expect(forbidden.message).not.toContain('dave');
    expect(forbidden.actions.map((a) => a.command)).toEqual(['spacekit.refresh', 'spacekit.switchContext', 'spacekit.showLogs']);
  });

  it('keeps the text of a refusal by a policy rather than by RBAC, since it says what to change', () => {
    const raw =
      'cannot create space: the cluster refused it (403): admission webhook "placement" denied request: tenant acme/b may not use sandbox none';
    expect(describeError('create Space a/b/c', new ForbiddenError(raw)).message).toBe(`Could not create Space a/b/c: ${raw}`);
  });

  it('maps a missing object and a conflict to what to try', () => {
    expect(describeError('resize Space a/b/c', new NotFoundError('space a/b/c not found')).message).toBe(
      'Could not resize Space a/b/c: it no longer exists, or you may no longer read it. Refresh to see what is there now.',
    );
    const retry = { title: 'Try Again', command: 'spacekit.resizeSpace', args: [{ organization: 'a', tenant: 'b', space: 'c' }] };
    const conflict = describeError({ doing: 'resize Space a/b/c', retry }, new ConflictError('the object has been modified'));
    expect(conflict.message).toContain('changed by someone else meanwhile');
    expect(conflict.actions).toEqual([retry, { title: 'Refresh', command: 'spacekit.refresh' }]);
  });

  it('maps a parent label to its scope', () => {
    expect(parentScope('organization/acme')).toEqual({ organization: 'acme' });
    expect(parentScope('tenant/acme/payments')).toEqual({ organization: 'acme', tenant: 'payments' });
    expect(parentScope('')).toBeUndefined();
  });
});
