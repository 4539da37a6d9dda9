import { ForbiddenError, QuotaExceededError, ValidationError } from '@spacekit/sdk';
import { describe, expect, it } from 'vitest';
import { describeError, parentScope } from './errors.ts';

describe('errors as the user sees them', () => {
  it('keeps the SDK\'s actionable message and offers the budget dashboard for a quota refusal', () => {
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
    expect(report.actions).toEqual([{ title: 'Open Budget Dashboard', command: 'spacekit.openDashboard', args: [{ organization: 'acme', tenant: 'payments' }] }]);
  });

  it('lists validation issues on one line, and offers a context switch for a refusal by RBAC', () => {
    const invalid = describeError('create Space', new ValidationError('space', [{ path: 'resources.cpu', message: 'not a quantity' }, { path: '', message: 'bad' }]));
    expect(invalid.message).toBe('Could not create Space: resources.cpu: not a quantity; bad');
    const forbidden = describeError('delete Space a/b/c', new ForbiddenError('cannot delete: the cluster refused it (403)'));
    expect(forbidden.actions.map((a) => a.command)).toEqual(['spacekit.switchContext', 'spacekit.showLogs']);
  });

  it('maps a parent label to its scope', () => {
    expect(parentScope('organization/acme')).toEqual({ organization: 'acme' });
    expect(parentScope('tenant/acme/payments')).toEqual({ organization: 'acme', tenant: 'payments' });
    expect(parentScope('')).toBeUndefined();
  });
});
