import { describe, expect, it } from 'vitest';
import { organizationNode, spaceNode, tenantNode } from '../testing/fixtures.ts';
import { buildViewTree, escapeMarkdown, flatten, iconFor, stateOf, type Reach } from './viewTree.ts';

const web = spaceNode('web', { 'requests.cpu': '100m', 'requests.memory': '128Mi' });
const api = spaceNode('api');
const payments = tenantNode('payments', [web, api]);

describe('the Spaces tree model', () => {
  it('nests Organization → Tenant → Space from an organization the user may read, sorted by name, with stable ids', () => {
    const tree = buildViewTree([{ kind: 'readable', scope: { organization: 'acme' }, node: organizationNode('acme', [payments]) }]);
    expect(flatten(tree).map((n) => n.id)).toEqual(['acme', 'acme/payments', 'acme/payments/api', 'acme/payments/web']);
    const row = flatten(tree).find((n) => n.id === 'acme/payments/web');
    expect(row).toMatchObject({
      kind: 'Space',
      label: 'web',
      description: 'cpu 100m/1 · mem 128Mi/2Gi',
      contextValue: 'spacekit.space.readable.ready',
      state: 'ready',
    });
    expect(row?.accessibilityLabel).toBe('Space web, Ready, cpu 100m/1 · mem 128Mi/2Gi');
  });

  it('shows an organization a tenant admin may not read as a plain grouping row, never an error', () => {
    const reaches: Reach[] = [{ kind: 'readable', scope: { organization: 'acme', tenant: 'payments' }, node: payments }];
    const [org] = buildViewTree(reaches);
    expect(org).toMatchObject({
      id: 'acme',
      label: 'acme',
      state: 'unreadable',
      contextValue: 'spacekit.organization.unreadable',
      icon: { id: 'lock' },
    });
    expect(org?.usage).toBeUndefined();
    expect(org?.tooltip).toContain('no access');
    expect(org?.children.map((c) => c.id)).toEqual(['acme/payments']);
    expect(org?.children[0]?.children.map((c) => c.label)).toEqual(['api', 'web']);
  });

  it('groups a Space read on its own under rows for its tenant and organization', () => {
    const tree = buildViewTree([{ kind: 'readable', scope: { organization: 'acme', tenant: 'payments', space: 'web' }, node: web }]);
    expect(flatten(tree).map((n) => `${n.id}:${n.state}`)).toEqual([
      'acme:unreadable',
      'acme/payments:unreadable',
      'acme/payments/web:ready',
    ]);
  });

  it('says what could not be read, with the reason, at the level that was asked for', () => {
    const tree = buildViewTree([
      { kind: 'readable', scope: { organization: 'acme', tenant: 'payments' }, node: payments },
      { kind: 'unreadable', scope: { organization: 'acme', tenant: 'billing' }, reason: 'cannot read tenant acme/billing: forbidden' },
    ]);
    const billing = flatten(tree).find((n) => n.id === 'acme/billing');
    expect(billing).toMatchObject({ description: 'no access', state: 'unreadable' });
    expect(billing?.tooltip).toContain('forbidden');
  });

  it('lets a directly read tenant win over the same tenant seen from its organization', () => {
    const stale = tenantNode('payments', [api]);
    const tree = buildViewTree([
      { kind: 'readable', scope: { organization: 'acme', tenant: 'payments' }, node: payments },
      { kind: 'readable', scope: { organization: 'acme' }, node: organizationNode('acme', [stale]) },
    ]);
    expect(flatten(tree).map((n) => n.id)).toContain('acme/payments/web');
  });

  it('shows state with icons: ready, provisioning, over budget, failed, deleting', () => {
    expect(stateOf(spaceNode('a'))).toBe('ready');
    expect(stateOf(spaceNode('a', {}, undefined, 'Pending'))).toBe('provisioning');
    expect(stateOf(spaceNode('a', { 'requests.cpu': '2' }))).toBe('overBudget');
    expect(stateOf(spaceNode('a', {}, undefined, 'Failed'))).toBe('failed');
    expect(stateOf(spaceNode('a', {}, undefined, 'Terminating'))).toBe('terminating');
    expect(iconFor('Space', 'ready')).toEqual({ id: 'server-environment', color: 'testing.iconPassed' });
    expect(iconFor('Tenant', 'overBudget')).toEqual({ id: 'warning', color: 'list.warningForeground' });
    expect(iconFor('Space', 'failed')).toEqual({ id: 'error', color: 'list.errorForeground' });
    expect(iconFor('Space', 'provisioning').id).toBe('sync~spin');
  });

  it('describes a row by what it waits for when it is not Ready, and gives the failure in the tooltip', () => {
    const failed = {
      ...spaceNode('big', {}, undefined, 'Failed'),
      message: 'asks for requests.cpu=5, but tenant acme/payments has only 2 free',
    };
    const [org] = buildViewTree([
      { kind: 'readable', scope: { organization: 'acme', tenant: 'payments' }, node: tenantNode('payments', [failed]) },
    ]);
    const row = org?.children[0]?.children[0];
    expect(row?.description).toBe('failed');
    expect(row?.tooltip).toContain('only 2 free');
    const pending = buildViewTree([
      {
        kind: 'readable',
        scope: { organization: 'acme', tenant: 'payments', space: 'new' },
        node: spaceNode('new', {}, undefined, 'Pending'),
      },
    ]);
    expect(flatten(pending).at(-1)?.description).toBe('provisioning…');
  });

  it('puts a table of used, allocated, budget and free in a tenant tooltip, and used, budget and free in a Space tooltip, in one vocabulary', () => {
    const [org] = buildViewTree([{ kind: 'readable', scope: { organization: 'acme', tenant: 'payments' }, node: payments }]);
    const tenant = org?.children[0];
    expect(tenant?.tooltip).toContain('| resource | used | allocated | budget | free |');
    expect(tenant?.children.find((c) => c.label === 'web')?.tooltip).toContain('| resource | used | budget | free |');
    expect(
      flatten([org!])
        .map((n) => n.tooltip)
        .join('\n'),
    ).not.toMatch(/quota \||unallocated/);
    expect(tenant?.tooltip).toContain('| cpu | 0 | 2 | 4 | 2 |');
    expect(tenant?.tooltip).toContain('Namespace `acme--payments`');
    expect(tenant?.children.find((c) => c.label === 'web')?.tooltip).toContain('| cpu | 100m | 1 | 900m |');
  });

  it('offers only what the user may do, and says who can do the rest', () => {
    const none = { createSpace: false, updateSpace: false, deleteSpace: false, issueCredentials: false, incomplete: false };
    const rights = new Map([
      ['acme/payments', { ...none, createSpace: true }],
      ['acme/payments/web', { ...none, updateSpace: true, deleteSpace: true, issueCredentials: true }],
      ['acme/payments/api', none],
    ]);
    const rows = flatten(
      buildViewTree([{ kind: 'readable', scope: { organization: 'acme', tenant: 'payments' }, node: payments }], rights),
    );
    const row = (id: string) => rows.find((n) => n.id === id);
    expect(row('acme/payments')?.contextValue).toBe('spacekit.tenant.readable.ready may-createSpace');
    expect(row('acme/payments/web')?.contextValue).toBe('spacekit.space.readable.ready may-resizeSpace may-deleteSpace');
    expect(row('acme/payments/api')?.contextValue).toBe('spacekit.space.readable.ready');
    expect(row('acme/payments/api')?.tooltip).toContain("$(lock) You may not resize or delete it: the Tenant's admins can\\.");
    expect(row('acme/payments/web')?.tooltip).not.toContain('You may not');
  });

  it("reads a row's state once", () => {
    const [org] = buildViewTree([
      {
        kind: 'readable',
        scope: { organization: 'acme', tenant: 'payments' },
        node: tenantNode('payments', [spaceNode('old', {}, undefined, 'Terminating')]),
      },
    ]);
    expect(org?.children[0]?.children[0]?.accessibilityLabel).toBe('Space old, deleting');
  });

  it('escapes Markdown in names and messages', () => {
    expect(escapeMarkdown('a|b *c* [d](e)')).toBe('a\\|b \\*c\\* \\[d\\]\\(e\\)');
  });
});
