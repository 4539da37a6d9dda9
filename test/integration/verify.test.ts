import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  AdmissionregistrationV1Api,
  CoreV1Api,
  NetworkingV1Api,
  NodeV1Api,
  RbacAuthorizationV1Api,
  StorageV1Api,
  type V1ClusterRoleBinding,
} from '@kubernetes/client-node';
import type { CheckResult, Spacekit, VerifyReport } from '@spacekit/sdk';
import { PROBE_IMAGE } from '@spacekit/local-cluster';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminKubeConfig, eventually, expectStatus, impersonating, uniqueName } from '../support/kube.ts';
import { runProbes } from '../support/probe.ts';
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
const storageApi = admin.makeApiClient(StorageV1Api);
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
    resources: { cpu: 6, memory: '6Gi', 'requests.storage': '10Gi' },
    members: [{ kind: 'User', name: olga, role: 'admin' }],
  });
  await kit.tenants.create({
    organization: org,
    name: 'a1',
    resources: { cpu: 2, memory: '2Gi', 'requests.storage': '5Gi' },
    members: [
      { kind: 'User', name: tina, role: 'admin' },
      { kind: 'Group', name: `team-${org}`, role: 'viewer' },
      { kind: 'ServiceAccount', name: 'ci-bot', namespace: org, role: 'admin' },
    ],
  });
  await kit.tenants.create({
    organization: org,
    name: 'a2',
    resources: { cpu: 2, memory: '2Gi', 'requests.storage': 0 },
    members: [{ kind: 'User', name: uma, role: 'admin' }],
  });
  await kit.spaces.create({
    organization: org,
    tenant: 'a1',
    name: 'dev',
    // dev may claim storage, so that a claim of an existing volume meets the admission policy, not a zero quota.
    resources: { cpu: 1, memory: '1Gi', 'requests.storage': '1Gi' },
    members: [{ kind: 'User', name: dev, role: 'developer' }],
  });
  await kit.spaces.create({ organization: org, tenant: 'a2', name: 'web', resources: { cpu: 1, memory: '1Gi', 'requests.storage': 0 } });
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
    // Per Space: a claim beyond its quota and the reclaim policies; per member and Space of theirs: a claim of an existing volume.
    expect(report.counts.storage).toEqual({ ran: 11, passed: 11, failed: 0, notRun: 0 });
    expect(report.counts.network).toEqual({ ran: 2, passed: 2, failed: 0, notRun: 0 });
    // Without a probe image no pod tried a connection: not run, never passed.
    expect(report.counts.live).toEqual({ ran: 0, passed: 0, failed: 0, notRun: 6 });
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
      'spacekit.verify.storage',
      'spacekit.verify.network',
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

  it('refuses, as the members who would try it, a claim of an existing volume and a claim beyond the quota', async () => {
    const asTina = impersonating(admin, tina).makeApiClient(CoreV1Api);
    const claim = (namespace: string, storage: string, volumeName?: string) => ({
      namespace,
      body: {
        metadata: { name: `claim-${storage.toLowerCase()}` },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } }, ...(volumeName && { volumeName }) },
      },
    });
    const named = await expectStatus(asTina.createNamespacedPersistentVolumeClaim(claim(devNs, '1Gi', 'someone-elses')), 403);
    expect(named).toContain('may not name an existing volume (spec.volumeName)');
    expect(await expectStatus(asTina.createNamespacedPersistentVolumeClaim(claim(devNs, '2Gi')), 403)).toContain('exceeded quota');
    const asUma = impersonating(admin, uma).makeApiClient(CoreV1Api);
    // web asked for no storage, so it may claim none.
    expect(await expectStatus(asUma.createNamespacedPersistentVolumeClaim(claim(webNs, '1Gi')), 403)).toContain('requests.storage=0');
    expect((await core.listNamespacedPersistentVolumeClaim({ namespace: devNs })).items).toEqual([]);
  });

  /** Whether tina's claim of a volume by name in dev would be admitted now (a dry run). */
  const claimByNameAdmitted = () =>
    impersonating(admin, tina)
      .makeApiClient(CoreV1Api)
      .createNamespacedPersistentVolumeClaim({
        namespace: devNs,
        dryRun: 'All',
        body: {
          metadata: { name: 'named' },
          spec: { accessModes: ['ReadWriteOnce'], volumeName: 'someone-elses', resources: { requests: { storage: '1Gi' } } },
        },
      })
      .then(
        () => true,
        () => false,
      );

  it('catches the claims policy unbound: members of a Space with storage could then claim a volume by name', async () => {
    const name = 'spacekit-claims-new-volumes';
    const binding = await admission.readValidatingAdmissionPolicyBinding({ name });
    await admission.deleteValidatingAdmissionPolicyBinding({ name });
    try {
      // The API server's admission sees the binding go a moment after it is deleted, and come back likewise.
      await eventually('the claims policy to stop refusing', async () => ((await claimByNameAdmitted()) ? true : undefined));
      const found = failures(await verify());
      expect(found.filter((r) => r.category === 'install').map((r) => [r.id, r.subject])).toEqual([
        ['install.as-rendered', `ValidatingAdmissionPolicyBinding ${name}`],
        ['install.policies-bound', `ValidatingAdmissionPolicy ${name}`],
      ]);
      const claims = found.filter((r) => r.category !== 'install');
      // Who may create claims in dev (its admins and developer); the viewer group is refused by RBAC, and web may claim no storage.
      expect(claims.map((r) => [r.id, r.subject]).sort()).toEqual(
        [
          `User ${olga} (member of ${org})`,
          `User ${tina} (member of ${org}/a1)`,
          `ServiceAccount ${org}/ci-bot (member of ${org}/a1)`,
          `User ${dev} (member of ${org}/a1/dev)`,
        ]
          .map((who) => ['storage.existing-volume-refused', `${who} in space ${org}/a1/dev`])
          .sort(),
      );
      expect(claims[0]?.seen).toBe(
        'admitted (server-side dry run): create a PersistentVolumeClaim naming volume spacekit-verify-existing-volume (spec.volumeName)',
      );
      expect(claims[0]?.fix).toContain(name);
    } finally {
      const { metadata, spec } = binding;
      await admission.createValidatingAdmissionPolicyBinding({
        body: { metadata: { name, labels: metadata?.labels ?? {} }, ...(spec && { spec }) },
      });
      await eventually('the claims policy to refuse again', async () => ((await claimByNameAdmitted()) ? undefined : true));
    }
  });

  it('catches a StorageClass that keeps volumes after their claims go, only for Spaces that may claim from it', async () => {
    const name = `retain-${org}`;
    await storageApi.createStorageClass({ body: { metadata: { name }, provisioner: 'spacekit.dev/none', reclaimPolicy: 'Retain' } });
    try {
      const found = failures(await verify());
      expect(found.map((r) => [r.id, r.subject, r.seen])).toEqual([
        ['storage.reclaim-delete', `space ${org}/a1/dev`, `StorageClass ${name} (reclaimPolicy Retain)`],
      ]);
      expect(found[0]?.fix).toContain('reclaimPolicy: Delete');
    } finally {
      await storageApi.deleteStorageClass({ name });
    }
  });

  it("catches a Space's quota without its storage cap, as drift and by a claim the server admits", async () => {
    await core.patchNamespacedResourceQuota({
      name: 'spacekit-quota',
      namespace: webNs,
      body: [{ op: 'remove', path: '/spec/hard/requests.storage' }],
    });
    try {
      const found = failures(await verify());
      expect(found.map((r) => [r.id, r.subject, r.seen])).toEqual([
        ['objects.as-rendered', `space ${org}/a2/web: ResourceQuota ${webNs}/spacekit-quota`, 'spec.hard.requests.storage = nothing'],
        ['storage.claims-within-quota', `space ${org}/a2/web`, 'admitted (server-side dry run); the quota has no requests.storage'],
      ]);
    } finally {
      await kit.spaces.reconcile({ organization: org, tenant: 'a2', name: 'web' });
    }
  });

  it("catches a member's NetworkPolicy that lets every namespace into their Space", async () => {
    await impersonating(admin, tina)
      .makeApiClient(NetworkingV1Api)
      .createNamespacedNetworkPolicy({
        namespace: devNs,
        body: { metadata: { name: 'allow-all-namespaces' }, spec: { podSelector: {}, ingress: [{ _from: [{ namespaceSelector: {} }] }] } },
      });
    try {
      const found = failures(await verify());
      expect(found.map((r) => [r.id, r.subject])).toEqual([['network.policies-isolate', `space ${org}/a1/dev`]]);
      expect(found[0]?.seen).toMatch(/^NetworkPolicy allow-all-namespaces also lets in namespaces .*, and \d+ more$/);
      expect(found[0]?.seen).toContain('kube-system');
    } finally {
      await net.deleteNamespacedNetworkPolicy({ name: 'allow-all-namespaces', namespace: devNs });
    }
  });

  describe.runIf(inject('realNodes').length > 0)('live, on the real node', () => {
    const live = (report: VerifyReport) => report.results.filter((r) => r.category === 'live');
    const probeOrgs = async () => (await kit.organizations.list()).map((o) => o.metadata.name).filter((n) => n.startsWith('verify-probe-'));

    beforeAll(async () => {
      await runProbes(admin, devNs);
    }, 150_000);

    afterAll(async () => {
      await kit.spaces.reconcile({ organization: org, tenant: 'a1', name: 'dev' }).catch(() => undefined);
    });

    it('runs the live checks in probe Spaces, tries a running pod of each Space, then removes the probe Spaces', async () => {
      const report = await kit.verify(
        { organization: org },
        { live: { image: PROBE_IMAGE, nodeSelector: { 'spacekit.dev/real-node': 'true' } } },
      );
      expect(live(report).map((r) => [r.id, r.subject, r.status])).toEqual([
        ...['network.within-space-allowed', 'network.other-space-refused', 'network.other-tenant-refused', 'network.metadata-refused'].map(
          (id) => [id, expect.stringMatching(/^probe organization verify-probe-/), 'passed'],
        ),
        ['network.space-pods-unreachable', `space ${org}/a1/dev`, 'passed'],
        ['network.space-pods-unreachable', `space ${org}/a2/web`, 'not-run'],
        ['sandbox.gvisor-inside', expect.stringMatching(/^probe organization verify-probe-/), 'passed'],
      ]);
      expect(await probeOrgs()).toEqual([]);
    });

    it('catches, from inside a pod, a NetworkPolicy that admits all namespaces (through the CLI)', async () => {
      await net.createNamespacedNetworkPolicy({
        namespace: devNs,
        body: { metadata: { name: 'allow-all-namespaces' }, spec: { podSelector: {}, ingress: [{ _from: [{ namespaceSelector: {} }] }] } },
      });
      try {
        const cli = await spacekit(
          'verify',
          org,
          '--probe-image',
          PROBE_IMAGE,
          '--probe-node-selector',
          'spacekit.dev/real-node=true',
          '-o',
          'json',
        );
        expect(cli.code, cli.stderr).toBe(1);
        const report = JSON.parse(cli.stdout) as VerifyReport;
        const found = failures(report);
        expect(found.map((r) => [r.id, r.subject])).toEqual([
          ['network.policies-isolate', `space ${org}/a1/dev`],
          ['network.space-pods-unreachable', `space ${org}/a1/dev`],
        ]);
        expect(found[1]?.seen).toMatch(/^connected from verify-probe-[0-9a-f]+--/);
        expect(found[1]?.expected).toMatch(/^a pod of another organization cannot connect to pod probe-[a-z0-9-]+ \([0-9.]+:8080\)$/);
        // The probe Spaces themselves are still kept apart: the breakage is in dev only.
        expect(
          live(report)
            .filter((r) => r.subject.startsWith('probe organization'))
            .every((r) => r.status === 'passed'),
        ).toBe(true);
        expect(await probeOrgs()).toEqual([]);
      } finally {
        await net.deleteNamespacedNetworkPolicy({ name: 'allow-all-namespaces', namespace: devNs });
      }
    });

    it('removes its probe Spaces when stopped with Ctrl-C, and says so', async () => {
      const env = { ...process.env, KUBECONFIG: '', SPACEKIT_KUBECONFIG: '' };
      const args = [MAIN, '--kubeconfig', inject('kubeconfigPath'), 'verify', org, '--probe-image', PROBE_IMAGE];
      const child = spawn(process.execPath, [...args, '--probe-node-selector', 'spacekit.dev/real-node=true'], { env });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const made = await eventually('the probe organization to be made', async () => ((await probeOrgs()).length > 0 ? true : undefined), {
        timeoutMs: 120_000,
      });
      expect(made).toBe(true);
      child.kill('SIGINT');
      const code = await exited;
      expect(code).not.toBe(0);
      expect(stderr).toContain('verify was stopped; its probe Spaces were removed');
      expect(await probeOrgs()).toEqual([]);
      const namespaces = (await core.listNamespace({ labelSelector: 'spacekit.dev/organization' })).items.map(
        (n) => n.metadata?.name ?? '',
      );
      expect(namespaces.filter((n) => n.startsWith('verify-probe-') && !n.includes('--'))).toEqual([]);
    });
  });

  it('passes again once everything is put back', async () => {
    const report = await verify();
    expect(failures(report)).toEqual([]);
    expect(report.passed).toBe(true);
  });
});
