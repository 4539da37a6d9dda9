import { describe, expect, it } from 'vitest';
import { spaceNode } from '../testing/fixtures.ts';
import { currentSpace, statusText } from './currentSpace.ts';

describe('the Space the status bar follows', () => {
  it('is the setting, else the context namespace, else the last selected Space', () => {
    const selected = { organization: 'acme', tenant: 'payments', space: 'web' };
    expect(currentSpace({ setting: 'acme/payments/dev', contextNamespace: 'acme--payments--api', selected })).toEqual({
      scope: { organization: 'acme', tenant: 'payments', space: 'dev' },
      reason: 'setting',
    });
    expect(currentSpace({ setting: '', contextNamespace: 'acme--payments--api', selected })).toEqual({
      scope: { organization: 'acme', tenant: 'payments', space: 'api' },
      reason: 'context',
    });
    expect(currentSpace({ setting: '', contextNamespace: 'acme--payments', selected })).toEqual({ scope: selected, reason: 'selected' });
    expect(currentSpace({ setting: 'acme/payments', contextNamespace: undefined })).toBeUndefined();
  });

  it('reads its whole path and usage, with a warning icon when over budget', () => {
    const scope = { organization: 'acme', tenant: 'payments', space: 'web' };
    expect(statusText(scope, spaceNode('web', { 'requests.cpu': '100m' }))).toBe(
      '$(server-environment) acme/payments/web  cpu 100m/1 · mem 0/2Gi',
    );
    expect(statusText(scope, spaceNode('web', { 'requests.cpu': '2' }))).toMatch(/^\$\(warning\) acme\/payments\/web/);
    expect(statusText(scope, undefined)).toBe('$(server-environment) acme/payments/web');
  });
});
