import type { MeteredReport } from '@spacekit/sdk';
import { describe, expect, it } from 'vitest';
import { spaceNode, tenantNode } from '../../testing/fixtures.ts';
import { appendHistory, barsOf, dashboardView, HISTORY_LIMIT, percent, reportView } from './view.ts';

describe('the dashboard model', () => {
  it('gives bars as percentages of the budget: used, and allocated for parents', () => {
    const bars = barsOf(tenantNode('payments', [], { used: { 'requests.cpu': '1' } }));
    expect(bars[0]).toMatchObject({
      label: 'cpu',
      used: '1',
      allocated: '2',
      budget: '4',
      usedPercent: 25,
      allocatedPercent: 50,
      over: false,
    });
    expect(barsOf(spaceNode('web', { 'requests.cpu': '1500m' }))[0]).toMatchObject({ usedPercent: 150, over: true });
  });

  it('computes percentages exactly, with a zero budget full as soon as anything is used', () => {
    expect(percent(1n, 3n)).toBe(33.3);
    expect(percent(0n, 0n)).toBe(0);
    expect(percent(1n, 0n)).toBe(100);
    expect(percent(1n, undefined)).toBeUndefined();
  });

  it('keeps a bounded history of CPU and memory use for the chart', () => {
    let history = appendHistory([], spaceNode('web', { 'requests.cpu': '500m' }), 1000);
    expect(history).toEqual([{ at: 1000, percent: { 'requests.cpu': 50, 'requests.memory': 0 } }]);
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) history = appendHistory(history, spaceNode('web'), 2000 + i);
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history.at(-1)?.at).toBe(2000 + HISTORY_LIMIT + 4);
  });

  it('lists the children of a parent with their usage', () => {
    const view = dashboardView(
      { organization: 'acme', tenant: 'payments' },
      tenantNode('payments', [spaceNode('web', { 'requests.cpu': '100m' })]),
      '2026-01-01T00:00:00Z',
      [],
    );
    expect(view.title).toBe('Tenant acme/payments');
    expect(view.children).toEqual([{ kind: 'Space', name: 'web', state: 'ready', summary: 'cpu 100m/1 · mem 0/2Gi' }]);
    expect(view.charted.map((c) => c.label)).toEqual(['cpu', 'mem']);
  });

  it("picks the scope's row of a metered report, CPU first, leaving out unused extras", () => {
    const report: MeteredReport = {
      by: 'space',
      window: { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z', durationMs: 86_400_000 },
      coverage: { coveredMs: 43_200_000, percent: 50 },
      gaps: [{ from: 'a', to: 'b', durationMs: 1, duration: '12h', kind: 'not-metered', reason: 'the operator was not running' }],
      resolution: '1m',
      integralUnit: 'minutes',
      unreadableRecords: 0,
      rows: [
        {
          organization: 'acme',
          tenant: 'payments',
          space: 'api',
          usage: { 'requests.cpu': { value: 9, unit: 'core-minutes', integral: '9' } },
        },
        {
          organization: 'acme',
          tenant: 'payments',
          space: 'web',
          usage: {
            'requests.memory': { value: 0.125, unit: 'GiB-minutes', integral: '0.125' },
            'services.nodeports': { value: 0, unit: 'unit-minutes', integral: '0' },
            'requests.cpu': { value: 123.456, unit: 'core-minutes', integral: '123.456' },
          },
        },
      ],
    };
    const view = reportView(report, { organization: 'acme', tenant: 'payments', space: 'web' }, '24h');
    expect(view.rows).toEqual([
      { label: 'cpu', value: '123', unit: 'core-minutes' },
      { label: 'mem', value: '0.13', unit: 'GiB-minutes' },
    ]);
    expect(view.coveragePercent).toBe(50);
    expect(view.notice).toBe('12h the operator was not running');
    expect(reportView(report, { organization: 'other' }, '1h').rows).toEqual([]);
  });
});
