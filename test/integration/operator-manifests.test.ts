import { AuthorizationV1Api, type KubeConfig, type V1ResourceAttributes } from '@kubernetes/client-node';
import { ClusterSettingsSchema, KubeClient, type KubeObject } from '@spacekit/sdk';
import { OPERATOR_LEASE_NAME, OPERATOR_SERVICE_ACCOUNT, operatorClusterRoleName, renderOperatorManifests } from '@spacekit/sdk/operator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKubeConfig, eventually, expectStatus, impersonating, uniqueName } from '../support/kube.ts';

// The operator gets a namespace of its own, so its cluster-scoped RBAC is named after it and
// other test files on the shared control plane never see it.
const namespace = uniqueName('spacekit-op');
const settings = ClusterSettingsSchema.parse({ managers: { serviceAccounts: [`${namespace}:${OPERATOR_SERVICE_ACCOUNT}`] } });
const objects = renderOperatorManifests(settings, { namespace });
const operatorUser = `system:serviceaccount:${namespace}:${OPERATOR_SERVICE_ACCOUNT}`;
/** The Spacekit ClusterRole developers of a Space are bound to; the operator may bind it. */
const SPACE_DEVELOPER_ROLE = 'spacekit-developer';
const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);

let admin: KubeConfig;
let client: KubeClient;

beforeAll(async () => {
  admin = adminKubeConfig();
  client = new KubeClient(admin);
  // A dry-run cannot create the namespace the other objects land in, nor the ServiceAccount a pod names.
  for (const o of [...ofKind('Namespace'), ...ofKind('ServiceAccount')]) await client.apply(o);
});

afterAll(async () => {
  // Cluster-scoped objects outlive the namespace, so they go explicitly.
  for (const o of [...objects].reverse().filter((x) => x.metadata.namespace === undefined)) await client?.delete(o);
});

describe('operator manifests on the real apiserver', () => {
  it('passes a server-side dry-run of every object, and the server keeps every rendered field', async () => {
    expect(objects).toHaveLength(8);
    for (const o of objects) {
      const stored = await client.apply(o, { dryRun: true });
      // What comes back is what would be stored; a rendered field missing or changed there would make every re-apply a write.
      expect(stored, `${o.kind}/${o.metadata.name} is not stored as rendered`).toMatchObject(o);
    }
    expect(objects.filter((o) => o.metadata.namespace !== undefined).every((o) => o.metadata.namespace === namespace)).toBe(true);
  });

  it("lets Pod Security restricted admit the operator's pod, and refuses it without runAsNonRoot", async () => {
    const [deployment] = ofKind('Deployment') as (KubeObject & {
      spec: { template: { spec: { securityContext: Record<string, unknown> } } };
    })[];
    const podSpec = deployment!.spec.template.spec;
    const pod = (spec: object): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'operator-probe', namespace }, spec });
    // Deployments are only warned about; Pod Security enforces on pods, so a pod from the template is the real test.
    const admitted = await client.apply(pod(podSpec), { dryRun: true });
    expect(admitted.metadata.name).toBe('operator-probe');
    const { runAsNonRoot: _dropped, ...rootAllowed } = podSpec.securityContext;
    const message = await expectStatus(client.apply(pod({ ...podSpec, securityContext: rootAllowed }), { dryRun: true }), 403);
    expect(message).toContain('violates PodSecurity "restricted:latest"');
    expect(message).toContain('runAsNonRoot');
  });

  describe('the ClusterRole, checked by real RBAC', () => {
    let reviews: AuthorizationV1Api;
    let asOperator: KubeClient;
    const scratch = uniqueName('op-scratch');

    const allowed = async (attributes: V1ResourceAttributes): Promise<boolean> => {
      const review = await reviews.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: attributes } } });
      return review.status?.allowed === true;
    };

    beforeAll(async () => {
      for (const o of objects.filter((x) => x.kind !== 'Deployment' && x.kind !== 'Service')) await client.apply(o);
      await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: scratch } });
      const kc = impersonating(admin, operatorUser);
      reviews = kc.makeApiClient(AuthorizationV1Api);
      asOperator = new KubeClient(kc);
      // The RBAC authorizer learns of new bindings through its informers, a moment after they are stored.
      await eventually('the operator binding to take effect', async () =>
        (await allowed({ group: 'spacekit.dev', resource: 'spaces', verb: 'list' })) ? true : undefined,
      );
    });

    afterAll(async () => {
      await client?.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: scratch } });
    });

    it('names the cluster-scoped RBAC after the namespace', () => {
      expect(ofKind('ClusterRole')[0]?.metadata.name).toBe(`spacekit-operator-${namespace}`);
      expect(operatorClusterRoleName(namespace)).toBe(`spacekit-operator-${namespace}`);
    });

    it('allows what the operator reconciles with', async () => {
      const cases: V1ResourceAttributes[] = [
        { group: 'spacekit.dev', resource: 'spaces', verb: 'list' },
        { group: 'spacekit.dev', resource: 'spaces', verb: 'watch' },
        { group: 'spacekit.dev', resource: 'organizations', verb: 'update' },
        { group: 'spacekit.dev', resource: 'tenants', subresource: 'status', verb: 'update', namespace: 'acme' },
        { group: '', resource: 'namespaces', verb: 'create' },
        { group: '', resource: 'resourcequotas', verb: 'update', namespace: 'acme--web--dev' },
        { group: '', resource: 'limitranges', verb: 'delete', namespace: 'acme--web--dev' },
        { group: 'networking.k8s.io', resource: 'networkpolicies', verb: 'create', namespace: 'acme--web--dev' },
        { group: 'rbac.authorization.k8s.io', resource: 'rolebindings', verb: 'create', namespace: 'acme--web--dev' },
        { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', verb: 'bind', name: SPACE_DEVELOPER_ROLE },
        { group: 'events.k8s.io', resource: 'events', verb: 'create', namespace: 'acme' },
        { group: 'coordination.k8s.io', resource: 'leases', verb: 'update', namespace, name: OPERATOR_LEASE_NAME },
      ];
      for (const attributes of cases) expect(await allowed(attributes), JSON.stringify(attributes)).toBe(true);
    });

    it('denies secrets, pods, configmaps, creating levels, binding other roles and other leases', async () => {
      const cases: V1ResourceAttributes[] = [
        { group: '', resource: 'secrets', verb: 'get', namespace: 'acme--web--dev' },
        { group: '', resource: 'secrets', verb: 'list' },
        { group: '', resource: 'pods', verb: 'list' },
        { group: '', resource: 'pods', verb: 'create', namespace: 'acme--web--dev' },
        { group: '', resource: 'pods', subresource: 'exec', verb: 'create', namespace: 'acme--web--dev' },
        { group: '', resource: 'configmaps', verb: 'get', namespace: 'kube-system' },
        { group: '', resource: 'serviceaccounts', subresource: 'token', verb: 'create', namespace: 'kube-system' },
        { group: 'spacekit.dev', resource: 'spaces', verb: 'create', namespace: 'acme--web' },
        { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', verb: 'bind', name: 'cluster-admin' },
        { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', verb: 'escalate', name: SPACE_DEVELOPER_ROLE },
        { group: '', resource: 'users', verb: 'impersonate', name: 'admin' },
        { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', verb: 'delete', name: 'spaces.spacekit.dev' },
        { group: 'coordination.k8s.io', resource: 'leases', verb: 'update', namespace, name: 'someone-elses-lease' },
        { group: 'coordination.k8s.io', resource: 'leases', verb: 'create', namespace: 'kube-system' },
      ];
      for (const attributes of cases) expect(await allowed(attributes), JSON.stringify(attributes)).toBe(false);
    });

    it('binds members to a Spacekit role, but cannot grant cluster-admin or rights it does not hold', async () => {
      const binding = (name: string, role: string): KubeObject => ({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name, namespace: scratch },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }],
      });
      // `bind` on the Spacekit role is what lets this through, whatever the role grants.
      const made = await asOperator.create(binding('member', SPACE_DEVELOPER_ROLE));
      expect(made.metadata.name).toBe('member');
      const message = await expectStatus(asOperator.create(binding('grab', 'cluster-admin')), 403);
      expect(message).toContain('attempting to grant RBAC permissions not currently held');

      const role = (name: string, resource: string): KubeObject => ({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name, namespace: scratch },
        rules: [{ apiGroups: resource === 'secrets' ? [''] : ['spacekit.dev'], resources: [resource], verbs: ['get', 'list', 'watch'] }],
      });
      // A per-level read Role holds only rights the operator has, so it may write it...
      expect((await asOperator.create(role('read-spaces', 'spaces'))).metadata.name).toBe('read-spaces');
      // ...and escalation prevention refuses one that would hand out what it cannot do itself.
      await expectStatus(asOperator.create(role('read-secrets', 'secrets')), 403);
    });
  });
});
