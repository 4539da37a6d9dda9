import { AppsV1Api, CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { type Spacekit, ValidationError } from '@spacekit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectStatus, uniqueName, webDeployment } from '../support/kube.ts';
import { adminKit } from '../support/spacekit.ts';

const org = uniqueName('cred');
let kit: Spacekit;

beforeAll(async () => {
  kit = await adminKit();
  await kit.organizations.create({ name: org, resources: { cpu: 4, memory: '8Gi' } });
  await kit.tenants.create({ organization: org, name: 'team', resources: { cpu: 4, memory: '8Gi' } });
  await kit.spaces.create({ organization: org, tenant: 'team', name: 'mine', resources: { cpu: 1, memory: '1Gi' } });
  await kit.spaces.create({ organization: org, tenant: 'team', name: 'theirs', resources: { cpu: 1, memory: '1Gi' } });
});

afterAll(async () => {
  await kit?.organizations.delete(org);
});

describe('credentials scoped to one Space', () => {
  it('work inside the Space and are refused everywhere else, cluster scope included', async () => {
    const creds = await kit.spaces.credentials({ organization: org, tenant: 'team', name: 'mine' });
    const mine = `${org}--team--mine`;
    expect(creds.namespace).toBe(mine);
    expect(creds.kubeConfig.getContextObject(creds.kubeConfig.getCurrentContext())?.namespace).toBe(mine);
    expect(Date.parse(creds.expiresAt)).toBeGreaterThan(Date.now());

    const apps = creds.kubeConfig.makeApiClient(AppsV1Api);
    const core = creds.kubeConfig.makeApiClient(CoreV1Api);
    await apps.createNamespacedDeployment({ namespace: mine, body: webDeployment(1) });
    await eventually('the Deployment to be readable', () => apps.readNamespacedDeployment({ name: 'web', namespace: mine }));
    expect((await core.listNamespacedPod({ namespace: mine })).items).toBeInstanceOf(Array);

    await expectStatus(core.listNamespacedPod({ namespace: `${org}--team--theirs` }), 403);
    await expectStatus(apps.createNamespacedDeployment({ namespace: `${org}--team--theirs`, body: webDeployment(1) }), 403);
    await expectStatus(core.listNamespace(), 403);
    await expectStatus(core.listNode(), 403);
    await expectStatus(core.listPodForAllNamespaces(), 403);
    // Inside its Space it still cannot widen its own rights or touch what Spacekit manages.
    await expectStatus(
      creds.kubeConfig.makeApiClient(RbacAuthorizationV1Api).createNamespacedRoleBinding({
        namespace: mine,
        body: {
          metadata: { name: 'escalate' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
          subjects: [{ kind: 'ServiceAccount', name: creds.serviceAccount, namespace: mine }],
        },
      }),
      403,
    );
    await expectStatus(core.deleteNamespacedResourceQuota({ name: 'spacekit-quota', namespace: mine }), 403);
  });

  it('refuse bad options before anything is made', async () => {
    const err = await kit.spaces
      .credentials({ organization: org, tenant: 'team', name: 'mine' }, { serviceAccount: 'Bad_Name', expirationSeconds: 60 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.path).sort()).toEqual(['expirationSeconds', 'serviceAccount']);
    await expectStatus(
      kit.kubeConfig.makeApiClient(CoreV1Api).readNamespacedServiceAccount({ name: 'Bad_Name', namespace: `${org}--team--mine` }),
      404,
    );
  });
});
