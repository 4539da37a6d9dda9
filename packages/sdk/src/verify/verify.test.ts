import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, LABELS } from '../model/index.ts';
import { organizationFixture, spaceFixture, tenantFixture } from '../render/fixtures.ts';
import type { KubeObject } from '../render/index.ts';
import { membersOf } from './access.ts';
import { checkBudgets } from './budgets.ts';
import { checkNames } from './names.ts';
import { checkObjects, firstDifference } from './objects.ts';
import { type CheckResult, formatReportJunit, formatReportTable, summarise } from './report.ts';

const passed = (id: string, category: CheckResult['category'], subject: string): CheckResult => ({
  id,
  category,
  subject,
  status: 'passed',
});

describe('summarise', () => {
  it('counts per category, and passes only when nothing failed; a check not run is never a pass', () => {
    const ok = summarise([
      passed('a', 'names', 'x'),
      { id: 'b', category: 'access', subject: 'y', status: 'not-run', expected: 'no node' },
    ]);
    expect(ok.passed).toBe(true);
    expect(ok.counts.names).toEqual({ ran: 1, passed: 1, failed: 0, notRun: 0 });
    expect(ok.counts.access).toEqual({ ran: 0, passed: 0, failed: 0, notRun: 1 });
    const bad = summarise([passed('a', 'names', 'x'), { id: 'c', category: 'objects', subject: 'z', status: 'failed', seen: 'gone' }]);
    expect(bad.passed).toBe(false);
    expect(bad.counts.objects).toEqual({ ran: 1, passed: 0, failed: 1, notRun: 0 });
  });
});

describe('the report formats', () => {
  const report = summarise([
    passed('names.x', 'names', 'organization acme'),
    {
      id: 'objects.as-rendered',
      category: 'objects',
      subject: 'space acme/ci/run: NetworkPolicy acme--ci--run/spacekit-default-deny',
      status: 'failed',
      expected: 'the object as Spacekit renders it',
      seen: 'no such object <&>',
      fix: 'reconcile it',
    },
  ]);

  it('spells out each failure with what was expected, seen and the fix, then the counts', () => {
    const text = formatReportTable(report);
    expect(text).toContain('FAIL  objects.as-rendered  space acme/ci/run: NetworkPolicy acme--ci--run/spacekit-default-deny\n');
    expect(text).toContain('  seen:     no such object <&>\n  fix:      reconcile it\n');
    expect(text).toMatch(/objects\s+1\s+0\s+1\s+0\n/);
    expect(text.endsWith('verify: 1 failed\n')).toBe(true);
  });

  it('writes JUnit XML with one suite per category and the failure escaped', () => {
    const xml = formatReportJunit(report);
    expect(xml).toContain('<testsuites name="spacekit verify" tests="2" failures="1">');
    expect(xml).toContain('<testsuite name="spacekit.verify.objects" tests="1" failures="1" skipped="0">');
    expect(xml).toContain('<failure message="no such object &lt;&amp;&gt;">');
    expect(xml).not.toContain('<&>');
  });
});

describe('checkNames', () => {
  it('fails exactly the level whose namespace the policies select by name', () => {
    const results = checkNames(DEFAULT_SETTINGS, {
      organizations: [organizationFixture('acme'), organizationFixture('ingress-nginx')],
      tenants: [tenantFixture('acme', 'ci')],
      spaces: [spaceFixture('acme', 'ci', 'run')],
    });
    expect(results.map((r) => [r.subject, r.status])).toEqual([
      ['organization acme', 'passed'],
      ['organization ingress-nginx', 'failed'],
      ['tenant acme/ci', 'passed'],
      ['space acme/ci/run', 'passed'],
    ]);
    expect(results[1]?.seen).toMatch(/would make namespace "ingress-nginx", which is the ingress controller's/);
  });
});

describe('checkBudgets', () => {
  const quota = (tenant: string, space: string, cpu: string): KubeObject =>
    ({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: {
        name: 'spacekit-quota',
        namespace: `acme--${tenant}--${space}`,
        labels: { [LABELS.organization]: 'acme', [LABELS.tenant]: tenant, [LABELS.space]: space },
      },
      spec: { hard: { 'requests.cpu': cpu } },
    }) as KubeObject;

  it('fails a tenant whose Spaces hold more than it was granted, naming them; passes one within', () => {
    const org = organizationFixture('acme', { resources: { cpu: 4 } });
    const granted = (name: string) => ({
      ...tenantFixture('acme', name, { resources: { cpu: 2 } }),
      status: { usage: { hard: { 'requests.cpu': '2' } } },
    });
    const results = checkBudgets(
      [org],
      [granted('ci'), granted('qa')],
      [quota('ci', 'a', '1500m'), quota('ci', 'b', '1'), quota('qa', 'a', '2')],
    );
    expect(results.map((r) => [r.subject, r.status])).toEqual([
      ['organization acme', 'passed'],
      ['tenant acme/ci', 'failed'],
      ['tenant acme/qa', 'passed'],
    ]);
    expect(results[1]?.seen).toBe('requests.cpu: 2500m held against 2 (space a 1500m, space b 1)');
  });

  it('does not run for a tenant that was never granted a budget', () => {
    const [result] = checkBudgets([], [tenantFixture('acme', 'new')], []);
    expect(result?.status).toBe('not-run');
  });
});

describe('checkObjects and firstDifference', () => {
  const policy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'deny', namespace: 'ns', labels: { a: 'b' } },
    spec: { podSelector: {} },
  };

  it('names the first field that differs, ignoring what only the server set', () => {
    expect(firstDifference(policy, { ...policy, metadata: { ...policy.metadata, uid: 'x' }, status: {} })).toBeUndefined();
    expect(firstDifference(policy, { ...policy, metadata: { ...policy.metadata, labels: { a: 'c' } } })).toEqual({
      path: 'metadata.labels.a',
      expected: 'b',
      seen: 'c',
    });
  });

  it('fails a missing or changed object and passes one as rendered', () => {
    const changed = { ...policy, metadata: { ...policy.metadata, name: 'other' } };
    const live = new Map([
      ['NetworkPolicy/ns/deny', { ...policy, metadata: { ...policy.metadata, labels: { a: 'hand-made' } } } as KubeObject],
    ]);
    const results = checkObjects('space acme/ci/run', [policy as KubeObject, changed as KubeObject], live);
    expect(results.map((r) => [r.subject, r.status, r.seen])).toEqual([
      ['space acme/ci/run: NetworkPolicy ns/deny', 'failed', 'metadata.labels.a = "hand-made"'],
      ['space acme/ci/run: NetworkPolicy ns/other', 'failed', 'no such object'],
    ]);
    expect(checkObjects('space x', [policy as KubeObject], new Map([['NetworkPolicy/ns/deny', policy as KubeObject]]))[0]?.status).toBe(
      'passed',
    );
  });
});

describe('membersOf', () => {
  it('gathers each member once, with every level it belongs to', () => {
    const members = membersOf({
      organizations: [organizationFixture('acme', { members: [{ kind: 'User', name: 'olga', role: 'admin' }] })],
      tenants: [
        tenantFixture('acme', 'ci', {
          members: [
            { kind: 'User', name: 'olga', role: 'viewer' },
            { kind: 'Group', name: 'qa', role: 'admin' },
          ],
        }),
      ],
      spaces: [
        spaceFixture('acme', 'ci', 'run', {
          members: [{ kind: 'ServiceAccount', name: 'bot', namespace: 'acme--ci--run', role: 'developer' }],
        }),
      ],
    });
    expect(members.map((m) => [m.kind, m.name, m.homes])).toEqual([
      ['User', 'olga', [{ organization: 'acme' }, { organization: 'acme', tenant: 'ci' }]],
      ['Group', 'qa', [{ organization: 'acme', tenant: 'ci' }]],
      ['ServiceAccount', 'bot', [{ organization: 'acme', tenant: 'ci', space: 'run' }]],
    ]);
  });
});
