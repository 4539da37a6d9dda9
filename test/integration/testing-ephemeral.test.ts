import { type ChildProcess, spawn } from 'node:child_process';
import { allocationsOf } from '../support/allocations.ts';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ApiException, AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { connect, QuotaExceededError, type Spacekit } from '@spacekit/sdk';
import { EPHEMERAL_LABEL, type EphemeralSpace, ephemeralSpace, openEphemeralSpaces } from '@spacekit/sdk/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminKubeConfig, eventually, expectStatus, impersonating, uniqueName, webDeployment } from '../support/kube.ts';
import { adminKitWithOperator, type OperatorProcess, operatorKubeconfig, startOperator } from '../support/operator.ts';

// Everything here belongs to one organization that only this file's operator looks after.
const shard = uniqueName('eph');
const org = shard;
const SHARD_LABEL = 'e2e.spacekit.example/shard';
const WORKER = fileURLToPath(new URL('../support/ephemeral-worker.ts', import.meta.url));
const admin = adminKubeConfig();
const core = admin.makeApiClient(CoreV1Api);
const tina = `tina-${shard}`;
let kit: Spacekit;
let operator: OperatorProcess;
let removeKubeconfig: () => void;

/** What a worker prints once its Space is Ready and its app deployed. */
interface Ready {
  event: 'ready';
  name: string;
  namespace: string;
  serviceAccount: string;
  kubeconfig: string;
  expiresAt: string;
}

/** A worker process (test/support/ephemeral-worker.ts). */
interface Worker {
  child: ChildProcess;
  ready: Promise<Ready>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  events: Record<string, unknown>[];
  stderr: string[];
}

function startWorker(tenant: string, env: Record<string, string> = {}): Worker {
  const child = spawn(process.execPath, [WORKER], {
    env: { ...process.env, SPACEKIT_KUBECONFIG: inject('kubeconfigPath'), WORKER_TENANT: `${org}/${tenant}`, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const events: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  createInterface(child.stderr!).on('line', (line) => stderr.push(line));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const ready = new Promise<Ready>((resolve, reject) => {
    createInterface(child.stdout!).on('line', (line) => {
      const event = JSON.parse(line) as Record<string, unknown>;
      events.push(event);
      if (event.event === 'ready') resolve(event as unknown as Ready);
      if (event.event === 'error') reject(new Error(`worker failed: ${String(event.message)}`));
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`worker exited (${code ?? signal}) before it was ready:\n${stderr.join('\n')}`)),
    );
  });
  return { child, ready, exited, events, stderr };
}

const scoped = (kubeconfig: string): KubeConfig => {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  return kc;
};

async function namespaceGone(name: string): Promise<boolean> {
  try {
    await core.readNamespace({ name });
    return false;
  } catch (err) {
    if (err instanceof ApiException && err.code === 404) return true;
    throw err;
  }
}

async function spaceNames(tenant: string): Promise<string[]> {
  return (await kit.spaces.list({ organization: org, tenant })).map((s) => s.metadata.name).sort();
}

beforeAll(async () => {
  kit = await adminKitWithOperator();
  await kit.organizations.create({ name: org, labels: { [SHARD_LABEL]: shard }, resources: { cpu: 8, memory: '8Gi' } });
  // Exactly four default ephemeral Spaces (500m, 512Mi each) fit into "workers".
  await kit.tenants.create({ organization: org, name: 'workers', resources: { cpu: 2, memory: '2Gi' } });
  await kit.tenants.create({ organization: org, name: 'runs', resources: { cpu: 2, memory: '2Gi' } });
  await kit.tenants.create({ organization: org, name: 'small', resources: { cpu: 1, memory: '1Gi' } });
  await kit.tenants.create({
    organization: org,
    name: 'self',
    resources: { cpu: 1, memory: '1Gi' },
    members: [{ kind: 'User', name: tina, role: 'admin' }],
  });
  const kubeconfig = await operatorKubeconfig(admin);
  removeKubeconfig = kubeconfig.remove;
  operator = await startOperator({ kubeconfigPath: kubeconfig.path, organizationSelector: `${SHARD_LABEL}=${shard}` });
});

afterAll(async () => {
  await kit?.organizations.delete(org).catch(() => undefined);
  const code = await operator?.stop();
  removeKubeconfig?.();
  expect(code).toBe(0);
});

describe('parallel workers', () => {
  it('gives 4 worker processes a Space each, isolated from one another, and leaves nothing behind', async () => {
    const workers = Array.from({ length: 4 }, () => startWorker('workers', { WORKER_PREFIX: 'worker' }));
    const ready = await Promise.all(workers.map((w) => w.ready));

    const namespaces = ready.map((r) => r.namespace);
    expect(new Set(namespaces).size).toBe(4);
    for (const r of ready) {
      expect(r.name).toMatch(/^worker-[0-9a-f]{8}$/);
      expect(r.namespace).toBe(`${org}--workers--${r.name}`);
    }
    // All four fit exactly, and the tenant's ledger holds exactly them.
    const tenant = await kit.tenants.get({ organization: org, name: 'workers' });
    expect(Object.keys(await allocationsOf(kit, { organization: org, tenant: tenant.metadata.name })).sort()).toEqual(
      ready.map((r) => r.name).sort(),
    );
    expect(await spaceNames('workers')).toEqual(ready.map((r) => r.name).sort());
    const labelled = await kit.spaces.list({ organization: org, tenant: 'workers' });
    expect(labelled.every((s) => s.metadata.labels?.[EPHEMERAL_LABEL] === 'true' && s.spec.ttl === '1h')).toBe(true);

    // Each worker's credentials reach its own app and nothing of the other three.
    let refused = 0;
    for (const mine of ready) {
      const apps = scoped(mine.kubeconfig).makeApiClient(AppsV1Api);
      const pods = scoped(mine.kubeconfig).makeApiClient(CoreV1Api);
      expect((await apps.readNamespacedDeployment({ name: 'web', namespace: mine.namespace })).metadata?.name).toBe('web');
      expect((await pods.listNamespacedPod({ namespace: mine.namespace })).items.length).toBeGreaterThan(0);
      // The same identity through the apiserver's impersonation: RBAC judges the ServiceAccount, not a token detail.
      const asAccount = impersonating(admin, `system:serviceaccount:${mine.namespace}:${mine.serviceAccount}`).makeApiClient(CoreV1Api);
      expect((await asAccount.listNamespacedPod({ namespace: mine.namespace })).items.length).toBeGreaterThan(0);
      for (const theirs of ready.filter((r) => r !== mine)) {
        await expectStatus(apps.readNamespacedDeployment({ name: 'web', namespace: theirs.namespace }), 403);
        await expectStatus(pods.listNamespacedPod({ namespace: theirs.namespace }), 403);
        await expectStatus(pods.createNamespacedConfigMap({ namespace: theirs.namespace, body: { metadata: { name: 'intruder' } } }), 403);
        await expectStatus(apps.deleteNamespacedDeployment({ name: 'web', namespace: theirs.namespace }), 403);
        await expectStatus(asAccount.listNamespacedPod({ namespace: theirs.namespace }), 403);
        refused += 5;
      }
    }
    expect(refused).toBe(4 * 3 * 5);
    // Nothing above was allowed to touch another worker's app.
    for (const r of ready)
      expect(
        (await admin.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'web', namespace: r.namespace })).metadata
          ?.deletionTimestamp,
      ).toBeUndefined();

    for (const w of workers) w.child.stdin!.write('dispose\n');
    const exits = await Promise.all(workers.map((w) => w.exited));
    expect(exits).toEqual(workers.map(() => ({ code: 0, signal: null })));
    for (const w of workers) expect(w.events.map((e) => e.event)).toEqual(['ready', 'disposed']);

    // dispose() waits for the namespace, so by the time the workers have exited nothing is left.
    expect(await spaceNames('workers')).toEqual([]);
    for (const ns of namespaces) expect(await namespaceGone(ns), ns).toBe(true);
    expect(await allocationsOf(kit, { organization: org, tenant: 'workers' })).toEqual({});
  });
});

describe('scoped credentials', () => {
  it('work inside the Space and are refused everywhere else, cluster scope included', async () => {
    let namespace = '';
    {
      await using space = await ephemeralSpace(kit, { tenant: `${org}/runs`, prefix: 'scope' });
      await using other = await ephemeralSpace(kit, { tenant: { organization: org, name: 'runs' }, prefix: 'other' });
      namespace = space.namespace;
      expect(space.space.status?.phase).toBe('Ready');
      expect(space.kubeConfig.getContextObject(space.kubeConfig.getCurrentContext())?.namespace).toBe(namespace);
      expect(Date.parse(space.expiresAt ?? '')).toBeGreaterThan(Date.now());
      expect(space.kubeconfig).not.toContain('client-certificate');

      // Inside: deploy, configure, read.
      const apps = space.api(AppsV1Api);
      const coreAsSpace = space.api(CoreV1Api);
      await apps.createNamespacedDeployment({ namespace, body: webDeployment(1) });
      await coreAsSpace.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'settings' }, data: { mode: 'test' } } });
      expect((await coreAsSpace.readNamespacedConfigMap({ name: 'settings', namespace })).data).toEqual({ mode: 'test' });
      await eventually("the app's pod", async () =>
        (await coreAsSpace.listNamespacedPod({ namespace })).items.length > 0 ? true : undefined,
      );

      // Other namespaces: another Space, the tenant's own, the system's.
      for (const elsewhere of [other.namespace, `${org}--runs`, org, 'default', 'kube-system']) {
        await expectStatus(coreAsSpace.listNamespacedPod({ namespace: elsewhere }), 403);
        await expectStatus(coreAsSpace.listNamespacedSecret({ namespace: elsewhere }), 403);
        await expectStatus(apps.createNamespacedDeployment({ namespace: elsewhere, body: webDeployment(1) }), 403);
      }
      // Cluster scope.
      await expectStatus(coreAsSpace.listNamespace(), 403);
      await expectStatus(coreAsSpace.createNamespace({ body: { metadata: { name: uniqueName('escape') } } }), 403);
      await expectStatus(coreAsSpace.listNode(), 403);
      await expectStatus(coreAsSpace.listPodForAllNamespaces(), 403);
      await expectStatus(space.api(RbacAuthorizationV1Api).listClusterRole(), 403);
      const custom = space.api(CustomObjectsApi);
      await expectStatus(
        custom.getClusterCustomObject({ group: 'spacekit.dev', version: 'v1alpha1', plural: 'organizations', name: org }),
        403,
      );
      await expectStatus(custom.listClusterCustomObject({ group: 'spacekit.dev', version: 'v1alpha1', plural: 'spaces' }), 403);
      // Inside, but above its station: its own namespace, its quota, its rights.
      await expectStatus(coreAsSpace.deleteNamespace({ name: namespace }), 403);
      await expectStatus(coreAsSpace.deleteNamespacedResourceQuota({ name: 'spacekit-quota', namespace }), 403);
      await expectStatus(
        space.api(RbacAuthorizationV1Api).createNamespacedRoleBinding({
          namespace,
          body: {
            metadata: { name: 'escalate' },
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
            subjects: [{ kind: 'ServiceAccount', name: space.credentials.serviceAccount, namespace }],
          },
        }),
        403,
      );
      expect(openEphemeralSpaces.size).toBe(2);
    }
    // `await using` disposed both on leaving the block, and dispose waits for the namespace.
    expect(openEphemeralSpaces.size).toBe(0);
    expect(await namespaceGone(namespace)).toBe(true);
    expect(await spaceNames('runs')).toEqual([]);
  });

  it('dispose is idempotent: without waiting, then waiting, then again', async () => {
    const space = await ephemeralSpace(kit, { tenant: `${org}/runs`, prefix: 'twice' });
    await space.dispose({ wait: false });
    expect(space.disposed).toBe(true);
    expect(openEphemeralSpaces.size).toBe(0);
    await space.dispose();
    expect(await namespaceGone(space.namespace)).toBe(true);
    await space.dispose();
    await space[Symbol.asyncDispose]();
    expect(await spaceNames('runs')).toEqual([]);
    // Its credentials went with the namespace.
    await expectStatus(space.api(CoreV1Api).listNamespacedPod({ namespace: space.namespace }), 401);
  });

  it('work the same for a tenant admin, whose kit provisions through the operator', async () => {
    const tinaKit = await connect({ kubeconfig: impersonating(admin, tina) });
    const space = await ephemeralSpace(tinaKit, { tenant: `${org}/self` });
    expect(space.space.status?.phase).toBe('Ready');
    const coreAsSpace = space.api(CoreV1Api);
    await coreAsSpace.createNamespacedConfigMap({ namespace: space.namespace, body: { metadata: { name: 'from-the-test' } } });
    await expectStatus(coreAsSpace.listNamespacedConfigMap({ namespace: `${org}--self` }), 403);
    await space.dispose();
    // Tina may not read namespaces; dispose waited for the operator, which keeps the Space until its namespace is gone.
    expect(await namespaceGone(space.namespace)).toBe(true);
    expect(await spaceNames('self')).toEqual([]);
  });
});

describe('crashes and signals', () => {
  it('a worker that is SIGKILLed leaves its Space, and the operator reaps it after the TTL', async () => {
    const worker = startWorker('runs', { WORKER_TTL: '20s', WORKER_PREFIX: 'crash' });
    const ready = await worker.ready;
    worker.child.kill('SIGKILL');
    expect(await worker.exited).toEqual({ code: null, signal: 'SIGKILL' });
    // No cleanup ran: the Space and its app are still there.
    expect(await spaceNames('runs')).toEqual([ready.name]);
    expect(await namespaceGone(ready.namespace)).toBe(false);

    await eventually('the operator to reap the expired Space', async () => ((await spaceNames('runs')).length === 0 ? true : undefined), {
      timeoutMs: 120_000,
      intervalMs: 500,
    });
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(ready.expiresAt));
    await eventually('its namespace to be gone', async () => ((await namespaceGone(ready.namespace)) ? true : undefined));
    expect((await allocationsOf(kit, { organization: org, tenant: 'runs' }))[ready.name]).toBeUndefined();
    const events = await core.listNamespacedEvent({ namespace: `${org}--runs` });
    expect(events.items.some((e) => e.reason === 'Expired' && e.involvedObject.name === ready.name)).toBe(true);
  });

  it('SIGTERM deletes the open Space, and the worker still dies of SIGTERM', async () => {
    const worker = startWorker('runs', { WORKER_PREFIX: 'term' });
    const ready = await worker.ready;
    // A TTL of an hour: nobody but the worker's own handler can have deleted it in this test.
    expect(Date.parse(ready.expiresAt) - Date.now()).toBeGreaterThan(30 * 60_000);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(worker.stderr.join('\n')).toContain(`SIGTERM: deleting 1 ephemeral Space (${ready.namespace})`);
    await eventually('the Space to be gone', async () => ((await spaceNames('runs')).length === 0 ? true : undefined));
    await eventually('its namespace to be gone', async () => ((await namespaceGone(ready.namespace)) ? true : undefined));
    expect((await allocationsOf(kit, { organization: org, tenant: 'runs' }))[ready.name]).toBeUndefined();
  });
});

describe('the tenant budget', () => {
  it('says clearly when the budget is the limit, and a worker may wait for room instead', async () => {
    const open: EphemeralSpace[] = [];
    try {
      open.push(await ephemeralSpace(kit, { tenant: `${org}/small` }));
      open.push(await ephemeralSpace(kit, { tenant: `${org}/small` }));
      const err = await ephemeralSpace(kit, { tenant: `${org}/small` }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(QuotaExceededError);
      const refusal = err as QuotaExceededError;
      expect(refusal.message).toContain(`cannot create an ephemeral Space in tenant ${org}/small: the tenant's budget is the limit`);
      expect(refusal.message).toContain('2 ephemeral Spaces are open in this process');
      expect(refusal.message).toMatch(/give each Space less.*run fewer workers.*raise the tenant's budget/);
      expect(refusal.free).toBe('0');
      expect(refusal.holders.map((h) => h.name).sort()).toEqual(open.map((s) => `space/${s.ref.name}`).sort());
      expect(refusal.cause).toBeInstanceOf(QuotaExceededError);
      // Nothing was made for the refused one.
      expect(await spaceNames('small')).toEqual(open.map((s) => s.ref.name).sort());

      // With waitForBudgetMs, a third worker gets the room the first one frees.
      const waiting = ephemeralSpace(kit, { tenant: `${org}/small`, waitForBudgetMs: 120_000 });
      const first = open.shift()!;
      await first.dispose();
      const third = await waiting;
      open.push(third);
      expect(third.space.status?.phase).toBe('Ready');
      expect(await spaceNames('small')).toEqual(open.map((s) => s.ref.name).sort());
    } finally {
      await Promise.all(open.map((s) => s.dispose()));
    }
    expect(await spaceNames('small')).toEqual([]);
  });
});
