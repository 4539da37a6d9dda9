import { describe, expect, it } from 'vitest';
import { spaceNode, tenantNode } from '../../testing/fixtures.ts';
import { UsageHistory } from './history.ts';

describe("the session's usage history", () => {
  const tenant = { organization: 'acme', tenant: 'payments' };
  const web = { ...tenant, space: 'web' };

  it('records a scope and every level below it, and says since when', () => {
    const history = new UsageHistory();
    history.record(tenant, tenantNode('payments', [spaceNode('web', { 'requests.cpu': '500m' })]), 1000);
    expect(history.of(web)).toEqual([{ at: 1000, percent: { 'requests.cpu': 50, 'requests.memory': 0 } }]);
    expect(history.source(web)).toEqual({ since: 1000 });
    expect(history.of(tenant)).toHaveLength(1);
    expect(history.source({ ...tenant, space: 'other' })).toEqual({});
  });

  it('adds a point only when something changed, and forgets everything on clear', () => {
    const history = new UsageHistory();
    history.record(web, spaceNode('web', { 'requests.cpu': '500m' }), 1000);
    history.record(web, spaceNode('web', { 'requests.cpu': '500m' }), 2000);
    history.record(web, spaceNode('web', { 'requests.cpu': '250m' }), 3000);
    expect(history.of(web).map((p) => [p.at, p.percent['requests.cpu']])).toEqual([
      [1000, 50],
      [3000, 25],
    ]);
    history.clear();
    expect(history.of(web)).toEqual([]);
    expect(history.source(web)).toEqual({});
  });
});
