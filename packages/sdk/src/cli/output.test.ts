import { describe, expect, it } from 'vitest';
import { organizationFixture, spaceFixture, tenantFixture } from '../render/fixtures.ts';
import { formatData, formatInstallResult, formatSaved, pathOf } from './output.ts';
import type { TreeNode } from './tree.ts';
import { formatUp } from './up.ts';

describe('formatData', () => {
  it('writes JSON and YAML without YAML aliases for shared objects', () => {
    const shared = { cpu: '1' };
    const data = { a: shared, b: shared };
    expect(formatData(data, 'json')).toBe('{\n  "a": {\n    "cpu": "1"\n  },\n  "b": {\n    "cpu": "1"\n  }\n}\n');
    expect(formatData(data, 'yaml')).toBe('a:\n  cpu: "1"\nb:\n  cpu: "1"\n');
  });
});

describe('formatInstallResult', () => {
  it('lists what changed and what did not', () => {
    expect(
      formatInstallResult({ changed: ['CustomResourceDefinition/spaces.spacekit.dev'], unchanged: ['ClusterRole/spacekit-viewer'] }),
    ).toBe(
      'Spacekit installed: 1 changed, 1 unchanged\n  changed    CustomResourceDefinition/spaces.spacekit.dev\n  unchanged  ClusterRole/spacekit-viewer\n',
    );
    expect(formatInstallResult({ changed: [], unchanged: ['A/b'] }).split('\n')[0]).toBe(
      'Spacekit is installed and up to date (1 objects unchanged)',
    );
  });
});

describe('formatSaved', () => {
  const space = { ...spaceFixture('acme', 'payments', 'dev'), status: { phase: 'Ready' as const, namespace: 'acme--payments--dev' } };

  it('names the object by the path the CLI takes and suggests the next step', () => {
    expect(pathOf(organizationFixture('acme'))).toBe('acme');
    expect(pathOf(tenantFixture('acme', 'payments'))).toBe('acme/payments');
    expect(pathOf(space)).toBe('acme/payments/dev');
    expect(formatSaved('created', space)).toBe(
      'created space acme/payments/dev (Ready): namespace acme--payments--dev\nuse it: kubectl --namespace acme--payments--dev get all\n',
    );
    expect(formatSaved('created', tenantFixture('acme', 'payments'))).toBe(
      'created tenant acme/payments (Pending)\nnext: spacekit create space acme/payments/NAME --cpu 1 --memory 2Gi\n',
    );
    expect(formatSaved('updated', space)).toBe('updated space acme/payments/dev (Ready): namespace acme--payments--dev\n');
  });
});

describe('formatUp', () => {
  const tree: TreeNode[] = [
    { kind: 'Organization', name: 'demo', phase: 'Ready', namespace: 'demo', budget: {}, allocated: {}, used: {}, children: [] },
  ];

  it('prints the tree, the kubeconfig and how to use it', () => {
    const text = formatUp({ tree, kubeconfigPath: '/tmp/k', external: false, once: false });
    expect(text).toBe(
      'NAME   PHASE   NAMESPACE\ndemo   Ready   demo\n\nkubeconfig   /tmp/k   (until you press Ctrl-C here)\n' +
        'try          KUBECONFIG=/tmp/k pnpm spacekit get\n             KUBECONFIG=/tmp/k pnpm spacekit usage --watch\n',
    );
    expect(formatUp({ tree, kubeconfigPath: '/tmp/k', external: true, once: true })).toContain('(it keeps running after this exits)');
  });

  it('says where the operator serves and how a tenant admin uses it, when up runs one', () => {
    const text = formatUp({ tree, kubeconfigPath: '/tmp/k', external: false, once: false, operatorUrl: 'http://127.0.0.1:4242' });
    expect(text).toContain('operator     running here until Ctrl-C (metrics http://127.0.0.1:4242/metrics)');
    expect(text).toContain('tina administers demo/web');
    expect(formatUp({ tree, kubeconfigPath: '/tmp/k', external: false, once: true })).not.toContain('operator');
  });
});
