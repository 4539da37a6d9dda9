import { describe, expect, it } from 'vitest';
import { spaceNode, tenantNode } from '../../testing/fixtures.ts';
import { SpacesModel } from './SpacesModel.ts';

const scope = { organization: 'acme', tenant: 'payments' };

describe('the Spaces view model', () => {
  it('shows no rows until discovery is ready, and the state for the welcome content', () => {
    const model = new SpacesModel();
    expect(model.state).toBe('connecting');
    model.failed({ state: 'unreachable', message: 'Cannot reach the cluster' });
    expect(model.state).toBe('unreachable');
    expect(model.message).toBe('Cannot reach the cluster');
    expect(model.nodes).toEqual([]);
  });

  it("replaces a scope's rows with each watch snapshot and tells its listeners", () => {
    const model = new SpacesModel();
    let changes = 0;
    model.onDidChange(() => changes++);
    model.discovered({
      kind: 'ready',
      reaches: [{ kind: 'readable', scope, node: tenantNode('payments', [spaceNode('web')]) }],
      problems: [],
    });
    expect(model.watchedScopes).toEqual([scope]);
    expect(model.node('acme/payments/web')?.description).toBe('cpu 0/1 · mem 0/2Gi');
    model.updated(scope, tenantNode('payments', [spaceNode('web', { 'requests.cpu': '100m' }), spaceNode('preview')]));
    expect(model.node('acme/payments/web')?.description).toBe('cpu 100m/1 · mem 0/2Gi');
    expect(model.node('acme/payments/preview')).toBeDefined();
    expect(changes).toBe(2);
  });

  it('stays quiet when a snapshot repeats what it shows', () => {
    const model = new SpacesModel();
    let changes = 0;
    model.onDidChange(() => changes++);
    model.discovered({
      kind: 'ready',
      reaches: [{ kind: 'readable', scope, node: tenantNode('payments', [spaceNode('web')]) }],
      problems: [],
    });
    const rows = model.nodes;
    model.updated(scope, tenantNode('payments', [spaceNode('web')]));
    expect(changes).toBe(1);
    expect(model.nodes).toBe(rows);
    model.updated(scope, tenantNode('payments', [spaceNode('web', { 'requests.cpu': '100m' })]));
    expect(changes).toBe(2);
  });

  it('keeps a scope it can no longer read as a row that says so', () => {
    const model = new SpacesModel();
    model.discovered({
      kind: 'ready',
      reaches: [{ kind: 'readable', scope, node: tenantNode('payments', []) }],
      problems: ['spacekit.scopes: bad'],
    });
    expect(model.message).toBe('spacekit.scopes: bad');
    model.lost(scope, 'forbidden now');
    expect(model.watchedScopes).toEqual([]);
    expect(model.node('acme/payments')).toMatchObject({ state: 'unreadable', tooltip: expect.stringContaining('forbidden now') });
  });

  it('says when there is nothing to discover', () => {
    const model = new SpacesModel();
    model.discovered({ kind: 'noScopes', detail: 'listing Organizations is forbidden and no scope is configured' });
    expect(model.state).toBe('noScopes');
    model.discovered({ kind: 'noOrganizations' });
    expect(model.state).toBe('noOrganizations');
  });
});
