import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  AdmissionregistrationV1Api,
  CoreV1Api,
  NetworkingV1Api,
  NodeV1Api,
  RbacAuthorizationV1Api,
  type V1ClusterRoleBinding,
} from '@kubernetes/client-node';
import type { CheckResult, Spacekit, VerifyReport } from '@spacekit/sdk';
import { PROBE_IMAGE } from '@spacekit/local-cluster';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminKubeConfig, eventually, uniqueName } from '../support/kube.ts';
import { adminKit } from '../support/spacekit.ts';

// `spacekit verify` on a healthy part of the cluster, then with one breakage at a time, each put back before
// the next: every breakage is caught by the check that owns it, naming the subject, what was expected and
// what was seen. Scoped to this file's organization, since other files change the cluster meanwhile.

const MAIN = fileURLToPath(new URL('../../packages/sdk/src/cli/main.ts', import.meta.url));
const org = uniqueName('verify');
const [tina, uma, olga, dev] = ['tina', 'uma', 'olga', 'dev'].map((n) => `${n}-${org}`) as [string, string, string, string];
const admin = adminKubeConfig();
const core = admin.makeApiClient(CoreV1Api);
const net = admin.makeApiClient(NetworkingV1Api);
const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
const admission = admin.makeApiClient(AdmissionregistrationV1Api);
const nodeApi = admin.makeApiClient(NodeV1Api);
const devNs = `${org}--a1--dev`;
const webNs = `${org}--a2--web`;
let kit: Spacekit;

function spacekit(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, KUBECONFIG: '', SPACEKIT_KUBECONFIG: '' };
    execFile(process.execPath, [MAIN, '--kubeconfig', inject('kubeconfigPath'), ...args], { env }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

const verify = () => kit.verify({ organization: org });
const failures = (report: VerifyReport): CheckResult[] => report.results.filter((r) => r.status === 'failed');

beforeAll(async () => {
  kit = await adminKit();
  // The runtime a pod would ask for to leave the sandbox; the real node's containerd has the handler.
  await nodeApi.createRuntimeClass({ body: { metadata: { name: 'runc' }, handler: 'runc' } }).catch((err: { code?: number }) => {
    if (err.code !== 409) throw err;
  });
  await kit.organizations.create({
    name: org,
    resources: { cpu: 6, memory: '6Gi' },
    members: [{ kind: 'User', name: olga, role: 'admin' }],
  });
  await kit.tenants.create({
    organization: org,
    name: 'a1',
    resources: { cpu: 2, memory: '2Gi' },
    members: [
      { kind: 'User', name: tina, role: 'admin' },
      { kind: 'Group', name: `team-${org}`, role: 'viewer' },
      { kind: 'ServiceAccount', name: 'ci-bot', namespace: org, role: 'admin' },
    ],
  });
  await kit.tenants.create({
    organization: org,
    name: 'a2',
    resources: { cpu: 2, memory: '2Gi' },
    members: [{ kind: 'User', name: uma, role: 'admin' }],
  });
  await kit.spaces.create({
    organization: org,
    tenant: 'a1',
    name: 'dev',
    resources: { cpu: 1, memory: '1Gi' },
    members: [{ kind: 'User', name: dev, role: 'developer' }],
  });
  await kit.spaces.create({ organization: org, tenant: 'a2', name: 'web', resources: { cpu: 1, memory: '1Gi' } });
});

afterAll(async () => {
  await kit?.organizations.delete(org).catch(() => undefined);
});

describe('spacekit verify', () => {
  it('passes on a healthy organization, and counts the checks it ran per category', async () => {
    const report = await verify();
    expect(failures(report)).toEqual([]);
    expect(report.passed).toBe(true);
    // One name check per level, one budget check per parent, one per rendered object of each Space, two per member.
    expect(report.counts.names).toEqual({ ran: 5, passed: 5, failed: 0, notRun: 0 });
    expect(report.counts.budgets).toEqual({ ran: 3, passed: 3, failed: 0, notRun: 0 });
    expect(report.counts.objects.ran).toBeGreaterThanOrEqual(2 * 8);
    expect(report.counts.objects.failed).toBe(0);
    expect(report.counts.install.ran).toBeGreaterThan(10);
    expect(report.counts.install.failed).toBe(0);
    // Per Space: the sandbox set, nine pod rules, another runtime and a NodePort refused; image pull is never passed.
    expect(report.counts.admission).toEqual({ ran: 24, passed: 24, failed: 0, notRun: 1 });
    // Two RBAC checks per member (6), and two dry-run checks per member and Space of theirs (7 pairs).
    expect(report.counts.access).toEqual({ ran: 26, passed: 26, failed: 0, notRun: 0 });
    // Without a probe image no pod tried a connection: not run, never passed.
    expect(report.counts.live).toEqual({ ran: 0, passed: 0, failed: 0, notRun: 5 });
    const probes = report.results
      .filter((r) => r.category === 'admission' && r.subject === `space ${org}/a1/dev`)
      .map((r) => [r.id, r.mtb]);
    expect(probes).toEqual([
      ['pods.sandbox-defaulted', undefined],
      ['pods.capabilities-refused', 'MTB-PL1-BC-CPI-3'],
      ['pods.run-as-root-refused', 'MTB-PL1-BC-CPI-4'],
      ['pods.privileged-refused', 'MTB-PL1-BC-CPI-5'],
      ['pods.privilege-escalation-refused', 'MTB-PL1-BC-CPI-6'],
      ['pods.host-path-refused', 'MTB-PL1-BC-HI-1'],
      ['pods.host-network-refused', 'MTB-PL1-BC-HI-3'],
      ['pods.host-port-refused', 'MTB-PL1-BC-HI-3'],
      ['pods.host-pid-refused', 'MTB-PL1-BC-HI-4'],
      ['pods.host-ipc-refused', 'MTB-PL1-BC-HI-5'],
      ['pods.other-runtime-refused', undefined],
      ['services.node-port-refused', 'MTB-PL1-BC-HI-2'],
    ]);

    const cli = await spacekit('verify', org, '-o', 'json');
    expect(cli.code, cli.stderr).toBe(0);
    expect((JSON.parse(cli.stdout) as VerifyReport).counts).toEqual(report.counts);
  });

  it('writes JUnit XML that a CI system can read, and exits 1 when a check fails', async () => {
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
    const healthy = await spacekit('verify', org, '-o', 'junit');
    expect(healthy.code, healthy.stderr).toBe(0);
    const ok = parser.parse(healthy.stdout) as { testsuites: { tests: string; failures: string; testsuite: { name: string }[] } };
    expect(ok.testsuites.failures).toBe('0');
    expect(Number(ok.testsuites.tests)).toBeGreaterThan(20);
    expect(ok.testsuites.testsuite.map((s) => s.name)).toEqual([
      'spacekit.verify.names',
      'spacekit.verify.budgets',
      'spacekit.verify.objects',
      'spacekit.verify.install',
      'spacekit.verify.admission',
      'spacekit.verify.access',
      'spacekit.verify.live',
    ]);

    await net.deleteNamespacedNetworkPolicy({ name: 'spacekit-default-deny', namespace: devNs });
    try {
      const broken = await spacekit('verify', org, '-o', 'junit');
      expect(broken.code).toBe(1);
      const xml = parser.parse(broken.stdout) as {
        testsuites: { failures: string; testsuite: { name: string; testcase: { name: string; failure?: { message: string } }[] }[] };
      };
      expect(xml.testsuites.failures).toBe('1');
      const objects = xml.testsuites.testsuite.find((s) => s.name === 'spacekit.verify.objects');
      const failed = objects?.testcase.filter((c) => c.failure);
      expect(failed?.map((c) => [c.name, c.failure?.message])).toEqual([
        [`objects.as-rendered: space ${org}/a1/dev: NetworkPolicy ${devNs}/spacekit-default-deny`, 'no such object'],
      ]);
    } finally {
      await kit.spaces.reconcile({ organization: org, tenant: 'a1', name: 'dev' });
    }
  });

  it("catches a RoleBinding that lets a tenant's member read another tenant's Space", async () => {
    await rbac.createNamespacedRoleBinding({
      namespace: webNs,
      body: {
        metadata: { name: 'by-hand' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: tina }],
      },
    });
    try {
      const found = failures(await verify());
      expect(found.map((r) => [r.id, r.mtb, r.subject])).toEqual([
        ['access.other-spaces-denied', undefined, `User ${tina} (member of ${org}/a1)`],
      ]);
      expect(found[0]?.seen).toBe(`allowed list pods in namespace ${webNs}`);
      expect(found[0]?.fix).toContain(`kubectl get rolebindings -n ${webNs}`);
    } finally {
      await rbac.deleteNamespacedRoleBinding({ name: 'by-hand', namespace: webNs });
    }
  });

  it('catches a namespace relabelled to Pod Security privileged, as drift and by the pods it then admits', async () => {
    await core.patchNamespace({
      name: devNs,
      body: [{ op: 'replace', path: '/metadata/labels/pod-security.kubernetes.io~1enforce', value: 'privileged' }],
    });
    try {
      const found = failures(await verify());
      expect(found[0] && [found[0].id, found[0].subject, found[0].expected, found[0].seen]).toEqual([
        'objects.as-rendered',
        `space ${org}/a1/dev: Namespace ${devNs}`,
        'metadata.labels.pod-security.kubernetes.io/enforce = "restricted"',
        'metadata.labels.pod-security.kubernetes.io/enforce = "privileged"',
      ]);
      // Observed, not inferred: every pod rule is now broken by a dry-run pod the server admits.
      expect(found.slice(1).map((r) => [r.id, r.subject, r.seen])).toEqual(
        [
          'pods.capabilities-refused',
          'pods.run-as-root-refused',
          'pods.privileged-refused',
          'pods.privilege-escalation-refused',
          'pods.host-path-refused',
          'pods.host-network-refused',
          'pods.host-port-refused',
          'pods.host-pid-refused',
          'pods.host-ipc-refused',
        ].map((id) => [id, `space ${org}/a1/dev`, 'admitted (server-side dry run)']),
      );
      expect(found[1]?.fix).toContain('pod-security.kubernetes.io/enforce label must be restricted');
    } finally {
      await kit.spaces.reconcile({ organization: org, tenant: 'a1', name: 'dev' });
    }
  });

  it('catches a Spacekit admission policy that nothing binds, so it is never enforced', async () => {
    const name = `spacekit-verify-unbound-${org}`;
    await admission.createMutatingAdmissionPolicy({
      body: {
        metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'spacekit', 'app.kubernetes.io/part-of': 'spacekit' } },
        spec: {
          failurePolicy: 'Fail',
          reinvocationPolicy: 'Never',
          matchConstraints: {
            resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }],
          },
          // Harmless even if something did bind it.
          matchConditions: [{ name: 'never', expression: 'false' }],
          mutations: [
            {
              patchType: 'ApplyConfiguration',
              applyConfiguration: { expression: 'Object{metadata: Object.metadata{labels: {"never": "set"}}}' },
            },
          ],
        },
      },
    });
    try {
      const found = failures(await verify());
      expect(found.map((r) => [r.id, r.subject, r.seen])).toEqual([
        ['install.policies-bound', `MutatingAdmissionPolicy ${name}`, 'no MutatingAdmissionPolicyBinding names it'],
      ]);
      expect(found[0]?.expected).toContain(`spec.policyName ${name}`);
    } finally {
      await admission.deleteMutatingAdmissionPolicy({ name });
    }
  });

  it('catches a ClusterRoleBinding left behind by a deleted organization', async () => {
    const gone = `${org}-gone`;
    await kit.organizations.create({
      name: gone,
      resources: { cpu: 1, memory: '1Gi' },
      members: [{ kind: 'User', name: olga, role: 'viewer' }],
    });
    const selector = `spacekit.dev/organization=${gone}`;
    const [binding] = (await rbac.listClusterRoleBinding({ labelSelector: selector })).items;
    const bindingName = binding?.metadata?.name;
    if (!binding || !bindingName) throw new Error(`organization ${gone} has no ClusterRoleBinding`);
    await kit.organizations.delete(gone);
    await eventually('the organization to be gone with its bindings', async () =>
      (await rbac.listClusterRoleBinding({ labelSelector: selector })).items.length === 0 ? true : undefined,
    );
    expect((await kit.verify({ organization: gone })).passed).toBe(true);
    const leftover: V1ClusterRoleBinding = {
      metadata: { name: bindingName, labels: binding.metadata?.labels ?? {} },
      roleRef: binding.roleRef,
      subjects: binding.subjects ?? [],
    };
    await rbac.createClusterRoleBinding({ body: leftover });
    try {
      const found = failures(await kit.verify({ organization: gone }));
      expect(found.map((r) => [r.id, r.subject, r.seen])).toEqual([
        ['install.no-leftovers', `ClusterRoleBinding ${bindingName}`, `ClusterRoleBinding ${bindingName} is still there`],
      ]);
      expect(found[0]?.fix).toBe(
        `delete it (kubectl delete clusterrolebinding ${bindingName}); if the organization is meant to exist, create it again`,
      );
      // The whole cluster's run sees it too.
      const whole = (await kit.verify()).results.filter((r) => r.id === 'install.no-leftovers' && r.status === 'failed');
      expect(whole.map((r) => r.subject)).toContain(`ClusterRoleBinding ${bindingName}`);
    } finally {
      await rbac.deleteClusterRoleBinding({ name: bindingName });
    }
  });

  it("catches a quota raised by hand above the Space's allocation, as drift and as an overrun of its tenant", async () => {
    await core.patchNamespacedResourceQuota({
      name: 'spacekit-quota',
      namespace: devNs,
      body: [{ op: 'replace', path: '/spec/hard/requests.cpu', value: '3' }],
    });
    try {
      const found = failures(await verify());
      expect(found.map((r) => [r.id, r.subject])).toEqual([
        ['budgets.children-within-parent', `tenant ${org}/a1`],
        ['objects.as-rendered', `space ${org}/a1/dev: ResourceQuota ${devNs}/spacekit-quota`],
      ]);
      expect(found[0]?.seen).toBe('requests.cpu: 3 held against 2 (space dev 3)');
      expect(found[1]?.seen).toBe('spec.hard.requests.cpu = "3"');
    } finally {
      await kit.spaces.reconcile({ organization: org, tenant: 'a1', name: 'dev' });
    }
  });

  it.runIf(inject('realNodes').length > 0)('runs the live checks in probe Spaces on the real node, then removes them', async () => {
    const report = await kit.verify(
      { organization: org },
      { live: { image: PROBE_IMAGE, nodeSelector: { 'spacekit.dev/real-node': 'true' } } },
    );
    const live = report.results.filter((r) => r.category === 'live');
    expect(live.map((r) => [r.id, r.status, r.seen])).toEqual(
      [
        'network.within-space-allowed',
        'network.other-space-refused',
        'network.other-tenant-refused',
        'network.metadata-refused',
        'sandbox.gvisor-inside',
      ].map((id) => [id, 'passed', undefined]),
    );
    expect((await kit.organizations.list()).map((o) => o.metadata.name).filter((n) => n.startsWith('verify-probe-'))).toEqual([]);
  });

  it('passes again once everything is put back', async () => {
    const report = await verify();
    expect(failures(report)).toEqual([]);
    expect(report.passed).toBe(true);
  });
});
