import { describe, expect, it } from 'vitest';
import type { Organization, Space, Status, Tenant } from '../model/index.ts';
import { organizationFixture, spaceFixture, tenantFixture } from '../render/fixtures.ts';
import { formatTree, formatUsage, NO_ORGANIZATIONS, organizationNode, spaceNode, tenantNode, type TreeNode } from './tree.ts';

function ready(namespace: string, usage: Status['usage']): Status {
  return { phase: 'Ready', namespace, ...(usage && { usage }) };
}

function withStatus<T extends Organization | Tenant | Space>(object: T, status: Status, labels?: Record<string, string>): T {
  return { ...object, metadata: { ...object.metadata, ...(labels && { labels }) }, status };
}

const acme = withStatus(
  organizationFixture('acme', { resources: { cpu: 8, memory: '16Gi' } }),
  ready('acme', {
    hard: { 'requests.cpu': '8', 'requests.memory': '16Gi' },
    allocated: { 'requests.cpu': '6', 'requests.memory': '12Gi', pods: '20' },
  }),
);
const payments = withStatus(
  tenantFixture('acme', 'payments', { resources: { cpu: 4, memory: '8Gi' } }),
  ready('acme--payments', {
    hard: { 'requests.cpu': '4', 'requests.memory': '8Gi' },
    allocated: { 'requests.cpu': '3', 'requests.memory': '6Gi' },
  }),
);
const search = withStatus(
  tenantFixture('acme', 'search', { resources: { cpu: 2, memory: '4Gi', pods: 20 } }),
  ready('acme--search', {
    hard: { pods: '20', 'requests.cpu': '2', 'requests.memory': '4Gi' },
    allocated: { pods: '10', 'requests.cpu': '1', 'requests.memory': '1Gi' },
  }),
);
const quota = (cpu: string, memory: string) => ({
  'requests.cpu': cpu,
  'requests.memory': memory,
  'services.nodeports': '0',
  'services.loadbalancers': '0',
});
const dev = withStatus(
  spaceFixture('acme', 'payments', 'dev', { resources: { cpu: 1, memory: '2Gi' } }),
  ready('acme--payments--dev', { hard: quota('1', '2Gi'), used: quota('200m', '256Mi') }),
  { 'spacekit.dev/organization': 'acme', 'spacekit.dev/tenant': 'payments' },
);
const prod = withStatus(
  spaceFixture('acme', 'payments', 'prod', { resources: { cpu: 2, memory: '4Gi' } }),
  ready('acme--payments--prod', { hard: quota('2', '4Gi'), used: quota('1500m', '3Gi') }),
  { 'spacekit.dev/organization': 'acme', 'spacekit.dev/tenant': 'payments' },
);
const idx = withStatus(spaceFixture('acme', 'search', 'idx', { resources: { cpu: 1, memory: '1Gi', pods: 10 } }), {
  phase: 'Failed',
  namespace: 'acme--search--idx',
  conditions: [
    {
      type: 'Ready',
      status: 'False',
      reason: 'ProvisioningFailed',
      message: 'cannot provision space acme/search/idx: quota rejected',
      lastTransitionTime: '2025-01-01T00:00:00Z',
    },
  ],
});

const tree = () => organizationNode(acme, [search, payments], [prod, idx, dev]);

describe('the tree model', () => {
  it('nests spaces under their tenants, sorted by name, by label or else by namespace', () => {
    const org = tree();
    expect(org.children.map((t) => [t.name, t.children.map((s) => s.name)])).toEqual([
      ['payments', ['dev', 'prod']],
      ['search', ['idx']],
    ]);
  });

  it('carries budget, allocation and usage with canonical keys', () => {
    const org = tree();
    const [paymentsNode] = org.children;
    expect(paymentsNode).toMatchObject({
      kind: 'Tenant',
      phase: 'Ready',
      namespace: 'acme--payments',
      budget: { 'requests.cpu': '4', 'requests.memory': '8Gi' },
      allocated: { 'requests.cpu': '3', 'requests.memory': '6Gi' },
      used: { 'requests.cpu': '1700m', 'requests.memory': '3328Mi' },
    });
    expect(paymentsNode?.children[0]).toEqual({
      kind: 'Space',
      name: 'dev',
      phase: 'Ready',
      namespace: 'acme--payments--dev',
      budget: { 'requests.cpu': '1', 'requests.memory': '2Gi', 'services.loadbalancers': '0', 'services.nodeports': '0' },
      used: { 'requests.cpu': '200m', 'requests.memory': '256Mi', 'services.loadbalancers': '0', 'services.nodeports': '0' },
      children: [],
    });
    expect(org.used).toMatchObject({ 'requests.cpu': '1700m' });
  });

  it('shows why a Space failed, and Terminating while it is deleted', () => {
    expect(spaceNode(idx)).toMatchObject({ phase: 'Failed', message: 'cannot provision space acme/search/idx: quota rejected' });
    const deleting = { ...dev, metadata: { ...dev.metadata, deletionTimestamp: '2025-01-01T00:00:00Z' } };
    expect(spaceNode(deleting).phase).toBe('Terminating');
  });

  it('falls back to the spec while status is not written yet', () => {
    const fresh = tenantFixture('acme', 'new', { resources: { cpu: '1500m' } });
    expect(tenantNode(fresh, [])).toEqual({
      kind: 'Tenant',
      name: 'new',
      phase: 'Pending',
      budget: { 'requests.cpu': '1500m' },
      allocated: {},
      used: {},
      children: [],
    });
  });
});

describe('formatTree', () => {
  it('aligns names, phases, resources on their slash, and namespaces', () => {
    expect(formatTree([tree()])).toBe(
      [
        'NAME          PHASE    CPU      MEMORY       PODS    NAMESPACE',
        'acme          Ready       6/8    12Gi/16Gi   20/∞    acme',
        '├─ payments   Ready       3/4     6Gi/8Gi      -     acme--payments',
        '│  ├─ dev     Ready    200m/1   256Mi/2Gi      -     acme--payments--dev',
        '│  └─ prod    Ready     1.5/2     3Gi/4Gi      -     acme--payments--prod',
        '└─ search     Ready       1/2     1Gi/4Gi    10/20   acme--search',
        '   └─ idx     Failed      0/1       0/1Gi     0/10   acme--search--idx',
        '         ! cannot provision space acme/search/idx: quota rejected',
        '',
        'organizations and tenants: allocated/budget · spaces: used/quota',
        '',
      ].join('\n'),
    );
  });

  it('lists several organizations one after the other', () => {
    const other = organizationNode(withStatus(organizationFixture('zeta', { resources: { cpu: 1 } }), ready('zeta', undefined)), [], []);
    const lines = formatTree([tree(), other]).split('\n');
    expect(lines.filter((l) => /^[a-z]/i.test(l)).map((l) => l.split(' ')[0])).toEqual(['NAME', 'acme', 'zeta', 'organizations']);
    expect(lines.find((l) => l.startsWith('zeta'))).toBe('zeta          Ready       0/1        -         -     zeta');
  });

  it('says how to begin when there are no organizations', () => {
    expect(formatTree([])).toBe(NO_ORGANIZATIONS);
    expect(NO_ORGANIZATIONS).toBe('no organizations yet — create one with: spacekit create org NAME --cpu 8 --memory 16Gi\n');
  });

  it('prints no resource columns or legend for budgets that bound nothing', () => {
    const bare: TreeNode = {
      kind: 'Organization',
      name: 'open',
      phase: 'Ready',
      namespace: 'open',
      budget: {},
      allocated: {},
      used: {},
      children: [],
    };
    expect(formatTree([bare])).toBe('NAME   PHASE   NAMESPACE\nopen   Ready   open\n');
  });

  it('leaves out the zero NodePort and LoadBalancer caps every Space quota has', () => {
    const text = formatTree([tree()]);
    expect(text).not.toMatch(/NODEPORTS|LOADBALANCERS/);
  });
});

describe('formatUsage', () => {
  it('shows used · allocated · budget for parents and used · quota for Spaces, per resource', () => {
    const lines = formatUsage([tree()]).split('\n');
    const row = (name: string) => lines.find((l) => l.includes(` ${name} `) || l.startsWith(`${name} `)) ?? '';
    // acme: used is the sum over its Spaces (200m + 1500m = 1.7; 256Mi + 3Gi shown as 3.3Gi), allocated and budget from its status;
    // pods: its tenants hold 20 without an organization bound of its own (∞).
    expect(row('acme')).toMatch(/^acme\s+Ready\s+1\.7 · 6 · 8\s+3\.3Gi · 12Gi · 16Gi\s+0 · 20 · ∞/);
    expect(row('dev')).toMatch(/dev\s+Ready\s+200m · 1\s+256Mi · 2Gi/);
    expect(lines).toContain(
      'organizations and tenants: used · allocated · budget · spaces: used · quota (used = requested by running workloads)',
    );
  });

  it("falls back to a parent's recorded usage when its children cannot be shown", () => {
    const recorded = withStatus(payments, {
      ...payments.status,
      usage: { ...payments.status?.usage, used: { 'requests.cpu': '700m' } },
    } as Status);
    expect(tenantNode(recorded, []).used).toEqual({ 'requests.cpu': '700m' });
    expect(tenantNode(recorded, [dev]).used['requests.cpu']).toBe('200m');
  });

  it('says how to begin when there is nothing', () => {
    expect(formatUsage([])).toBe(NO_ORGANIZATIONS);
  });
});
