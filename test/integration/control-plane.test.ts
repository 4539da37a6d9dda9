import {
  AppsV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  type KubernetesObject,
  NodeV1Api,
  RbacAuthorizationV1Api,
  type V1Pod,
} from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  adminKubeConfig,
  createNamespace,
  eventually,
  expectStatus,
  impersonating,
  restrictedPod,
  uniqueName,
  webDeployment,
} from '../support/kube.ts';

const admin = adminKubeConfig();
const core = admin.makeApiClient(CoreV1Api);

describe('ResourceQuota', () => {
  it('gets its status filled in by the controller and refuses a pod over the quota with the quota message', async () => {
    const ns = uniqueName('quota');
    await createNamespace(admin, ns);
    await core.createNamespacedResourceQuota({
      namespace: ns,
      body: { metadata: { name: 'cap' }, spec: { hard: { pods: '1', 'requests.cpu': '500m', 'requests.memory': '256Mi' } } },
    });

    const status = await eventually('quota status from the resourcequota controller', async () => {
      const quota = await core.readNamespacedResourceQuota({ name: 'cap', namespace: ns });
      return quota.status?.hard ? quota.status : undefined;
    });
    expect(status.hard).toEqual({ pods: '1', 'requests.cpu': '500m', 'requests.memory': '256Mi' });
    expect(status.used).toEqual({ pods: '0', 'requests.cpu': '0', 'requests.memory': '0' });

    const tooBig = restrictedPod('too-big', { resources: { requests: { cpu: '1', memory: '64Mi' } } });
    const message = await expectStatus(core.createNamespacedPod({ namespace: ns, body: tooBig }), 403);
    expect(message).toContain('exceeded quota: cap');
    expect(message).toContain('requested: requests.cpu=1');
    expect(message).toContain('limited: requests.cpu=500m');

    const fits = restrictedPod('fits', { resources: { requests: { cpu: '200m', memory: '64Mi' } } });
    await core.createNamespacedPod({ namespace: ns, body: fits });
    const used = await eventually('quota usage to count the pod', async () => {
      const quota = await core.readNamespacedResourceQuota({ name: 'cap', namespace: ns });
      return quota.status?.used?.pods === '1' ? quota.status.used : undefined;
    });
    expect(used['requests.cpu']).toBe('200m');

    const second = restrictedPod('second', { resources: { requests: { cpu: '100m', memory: '64Mi' } } });
    const podsMessage = await expectStatus(core.createNamespacedPod({ namespace: ns, body: second }), 403);
    expect(podsMessage).toContain('exceeded quota: cap, requested: pods=1, used: pods=1, limited: pods=1');
  });
});

describe('namespace deletion', () => {
  it('finishes: the namespace controller empties it and removes its finalizer', async () => {
    const ns = uniqueName('doomed');
    await createNamespace(admin, ns);
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'settings' }, data: { a: 'b' } } });
    const apps = admin.makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: ns,
      body: webDeployment(2),
    });
    // The deployment and replicaset controllers make real pods, so deletion has work to do.
    await eventually('deployment pods', async () => {
      const pods = await core.listNamespacedPod({ namespace: ns });
      return pods.items.length === 2 ? pods : undefined;
    });

    await core.deleteNamespace({ name: ns });
    const gone = await eventually('namespace to disappear', async () => {
      try {
        const n = await core.readNamespace({ name: ns });
        expect(n.status?.phase).toBe('Terminating');
        return undefined;
      } catch (err) {
        return (err as { code?: number }).code === 404 ? true : undefined;
      }
    });
    expect(gone).toBe(true);
  });
});

describe('RBAC by impersonation', () => {
  it('refuses a user with no bindings, then allows exactly the namespace a RoleBinding to edit grants', async () => {
    const user = uniqueName('alice');
    const granted = uniqueName('rbac-a');
    const other = uniqueName('rbac-b');
    await createNamespace(admin, granted);
    await createNamespace(admin, other);
    const asUser = impersonating(admin, user).makeApiClient(CoreV1Api);
    const configMap = (name: string) => ({ metadata: { name }, data: { hello: 'world' } });

    const denied = await expectStatus(asUser.createNamespacedConfigMap({ namespace: granted, body: configMap('before') }), 403);
    expect(denied).toContain(`User "${user}" cannot create resource "configmaps"`);
    await expectStatus(asUser.listNamespacedConfigMap({ namespace: granted }), 403);
    await expectStatus(asUser.listNamespace(), 403);

    await admin.makeApiClient(RbacAuthorizationV1Api).createNamespacedRoleBinding({
      namespace: granted,
      body: {
        metadata: { name: 'alice-edit' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
      },
    });
    // The RBAC authorizer reads bindings from an informer, so the grant lands shortly after the write.
    const created = await eventually('the RoleBinding to take effect', () =>
      asUser.createNamespacedConfigMap({ namespace: granted, body: configMap('after') }),
    );
    expect(created.metadata?.namespace).toBe(granted);

    const elsewhere = await expectStatus(asUser.createNamespacedConfigMap({ namespace: other, body: configMap('after') }), 403);
    expect(elsewhere).toContain(`in the namespace "${other}"`);
    await expectStatus(asUser.listNamespace(), 403);
  });
});

describe('admission policies for gVisor', () => {
  it('a ValidatingAdmissionPolicy refuses a plain pod; a MutatingAdmissionPolicy sets runtimeClassName and the pod is admitted', async () => {
    const objects = admin.makeApiClient(KubernetesObjectApi);
    const label = uniqueName('sandbox');
    const selector = { matchLabels: { 'spacekit-test/sandbox': label } };
    const ns = uniqueName('sandboxed');
    await createNamespace(admin, ns, { 'spacekit-test/sandbox': label });
    const podRules = [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] }];

    const created: KubernetesObject[] = [];
    const create = async (o: KubernetesObject) => {
      created.push(await objects.create(o));
    };
    try {
      await create({
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name: `${label}-require` },
        spec: {
          failurePolicy: 'Fail',
          matchConstraints: { resourceRules: podRules },
          validations: [
            {
              expression: "has(object.spec.runtimeClassName) && object.spec.runtimeClassName == 'gvisor'",
              message: 'pods in sandboxed namespaces must use runtimeClassName gvisor',
              reason: 'Forbidden',
            },
          ],
        },
      } as KubernetesObject);
      await create({
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name: `${label}-require` },
        spec: { policyName: `${label}-require`, validationActions: ['Deny'], matchResources: { namespaceSelector: selector } },
      } as KubernetesObject);

      const plain = restrictedPod('plain');
      // Policies are loaded from informers; a dry run shows when this one is in force without leaving a pod behind.
      await eventually('the validating policy to be in force', async () => {
        try {
          await core.createNamespacedPod({ namespace: ns, body: plain, dryRun: 'All' });
          return undefined;
        } catch (err) {
          return (err as { code?: number }).code === 403 ? true : undefined;
        }
      });
      const refused = await expectStatus(core.createNamespacedPod({ namespace: ns, body: plain }), 403);
      expect(refused).toContain(`ValidatingAdmissionPolicy '${label}-require'`);
      expect(refused).toContain('pods in sandboxed namespaces must use runtimeClassName gvisor');

      await admin
        .makeApiClient(NodeV1Api)
        .createRuntimeClass({ body: { metadata: { name: 'gvisor' }, handler: 'runsc' } })
        .catch((err: { code?: number }) => {
          if (err.code !== 409) throw err;
        });
      await create({
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'MutatingAdmissionPolicy',
        metadata: { name: `${label}-set` },
        spec: {
          failurePolicy: 'Fail',
          reinvocationPolicy: 'Never',
          matchConstraints: { resourceRules: [{ ...podRules[0], operations: ['CREATE'] }] },
          mutations: [
            {
              patchType: 'ApplyConfiguration',
              applyConfiguration: { expression: 'Object{spec: Object.spec{runtimeClassName: "gvisor"}}' },
            },
          ],
        },
      } as KubernetesObject);
      await create({
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'MutatingAdmissionPolicyBinding',
        metadata: { name: `${label}-set` },
        spec: { policyName: `${label}-set`, matchResources: { namespaceSelector: selector } },
      } as KubernetesObject);

      await eventually('the mutating policy to be in force', () => core.createNamespacedPod({ namespace: ns, body: plain, dryRun: 'All' }));
      const admitted: V1Pod = await core.createNamespacedPod({ namespace: ns, body: plain });
      expect(admitted.spec?.runtimeClassName).toBe('gvisor');

      // Outside the labelled namespaces neither policy applies.
      const free = uniqueName('unsandboxed');
      await createNamespace(admin, free);
      const untouched = await core.createNamespacedPod({ namespace: free, body: plain });
      expect(untouched.spec?.runtimeClassName).toBeUndefined();
    } finally {
      for (const o of created.reverse()) await objects.delete(o).catch(() => undefined);
    }
  });
});

describe('Pod Security admission', () => {
  it('refuses a privileged pod in a namespace labelled restricted, and admits a compliant one', async () => {
    const ns = uniqueName('psa');
    await createNamespace(admin, ns, { 'pod-security.kubernetes.io/enforce': 'restricted' });

    const privileged: V1Pod = {
      metadata: { name: 'root' },
      spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', securityContext: { privileged: true } }] },
    };
    const message = await expectStatus(core.createNamespacedPod({ namespace: ns, body: privileged }), 403);
    expect(message).toContain('violates PodSecurity "restricted:latest"');
    expect(message).toContain('privileged');

    const ok = await core.createNamespacedPod({ namespace: ns, body: restrictedPod('compliant') });
    expect(ok.metadata?.name).toBe('compliant');
  });
});

describe('scheduling onto nodes', () => {
  it("schedules a Deployment's pods onto the nodes, where they reach Running", async () => {
    const ns = uniqueName('running');
    await createNamespace(admin, ns);
    await admin.makeApiClient(AppsV1Api).createNamespacedDeployment({
      namespace: ns,
      body: webDeployment(3),
    });
    const pods = await eventually('3 Running pods', async () => {
      const list = await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=web' });
      const running = list.items.filter((p) => p.status?.phase === 'Running');
      return running.length === 3 ? running : undefined;
    });
    for (const pod of pods) expect(pod.spec?.nodeName).toBeTruthy();
    const nodes = await core.listNode();
    const nodeNames = nodes.items.map((n) => n.metadata?.name);
    for (const pod of pods) expect(nodeNames).toContain(pod.spec?.nodeName);
  });
});
