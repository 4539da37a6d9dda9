import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ApiException, CoreV1Api } from '@kubernetes/client-node';
import { KubeClient, NameError, type Organization, type Spacekit } from '@spacekit/sdk';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminKubeConfig, eventually, uniqueName } from '../support/kube.ts';
import { adminKitWithOperator, SHARD_LABEL, type ShardOperator, startShardOperator } from '../support/operator.ts';

// An organization's namespace is its name, and every Space admits the pods of the ingress controller's namespace
// by that namespace's name. An organization named after it would be let into every Space of every tenant, so the
// SDK, the CLI and the operator each refuse it. One file, one after another: the name is cluster-wide.

const TAKEN = 'ingress-nginx';
const MESSAGE = `organization name "${TAKEN}" would make namespace "${TAKEN}", which is the ingress controller's (the ingressNamespace setting): every Space admits traffic from its pods, so whatever ran in it would be let through to every Space of every tenant; choose another name`;
const MAIN = fileURLToPath(new URL('../../packages/sdk/src/cli/main.ts', import.meta.url));
const shard = uniqueName('names');
const admin = adminKubeConfig();
const core = admin.makeApiClient(CoreV1Api);
let kit: Spacekit;
let operator: ShardOperator | undefined;

function spacekit(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, KUBECONFIG: '', SPACEKIT_KUBECONFIG: '' };
    execFile(process.execPath, [MAIN, '--kubeconfig', inject('kubeconfigPath'), ...args], { env }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

async function exists(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return true;
  } catch (err) {
    if (err instanceof ApiException && err.code === 404) return false;
    throw err;
  }
}

const namespaceExists = () => exists(() => core.readNamespace({ name: TAKEN }));
const organizationRef = { apiVersion: 'spacekit.dev/v1alpha1', kind: 'Organization', metadata: { name: TAKEN } };
const organizationExists = async () => (await new KubeClient(admin).read(organizationRef)) !== undefined;

beforeAll(async () => {
  kit = await adminKitWithOperator();
});

afterAll(async () => {
  await new KubeClient(admin)
    .delete({ apiVersion: 'spacekit.dev/v1alpha1', kind: 'Organization', metadata: { name: TAKEN } })
    .catch(() => undefined);
  if (operator) expect(await operator.shutdown()).toBe(0);
  expect(await organizationExists()).toBe(false);
  expect(await namespaceExists()).toBe(false);
});

describe("an organization named after the ingress controller's namespace", () => {
  it('is refused by the SDK with a NameError that says why, before anything is written', async () => {
    const refused = await kit.organizations.create({ name: TAKEN, resources: { cpu: 1, memory: '1Gi' } }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(NameError);
    expect(refused).toMatchObject({ code: 'NAME', input: TAKEN, message: MESSAGE });
    expect(await organizationExists()).toBe(false);
    expect(await namespaceExists()).toBe(false);
  });

  it('is refused by the CLI with the same message and exit status 1', async () => {
    const result = await spacekit('create', 'org', TAKEN, '--cpu', '1', '--memory', '1Gi');
    expect(result).toEqual({ code: 1, stdout: '', stderr: `spacekit: ${MESSAGE}\n` });
    expect(await organizationExists()).toBe(false);
  });

  it('is refused by the operator when its object is written directly: Failed, with an event, and no namespace', async () => {
    operator = await startShardOperator(shard);
    await new KubeClient(admin).create({
      apiVersion: 'spacekit.dev/v1alpha1',
      kind: 'Organization',
      metadata: { name: TAKEN, labels: { [SHARD_LABEL]: shard } },
      spec: { resources: { cpu: '1', memory: '1Gi' } },
    } as never);
    const failed = await eventually('the operator to refuse it', async () => {
      const org = (await new KubeClient(admin).read(organizationRef)) as Organization | undefined;
      return org?.status?.phase === 'Failed' ? org : undefined;
    });
    expect(failed.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'InvalidSpec',
      message: MESSAGE,
    });
    const events = await eventually('the refusal event', async () => {
      const list = await core.listEventForAllNamespaces({ fieldSelector: `involvedObject.kind=Organization,involvedObject.name=${TAKEN}` });
      return list.items.length > 0 ? list.items : undefined;
    });
    expect(events.map((e) => [e.type, e.reason, e.message])).toContainEqual(['Warning', 'InvalidSpec', MESSAGE]);
    expect(await namespaceExists()).toBe(false);
  });

  it('is flagged by verify on a cluster where one already exists', async () => {
    const report = await kit.verify({ organization: TAKEN });
    expect(report.passed).toBe(false);
    // Only the name checks: the install checks are cluster-wide, and another file may be breaking one on purpose meanwhile.
    const failed = report.results.filter((r) => r.status === 'failed' && r.category === 'names');
    expect(failed.map((r) => [r.id, r.subject, r.seen])).toEqual([['names.not-selected-by-policies', `organization ${TAKEN}`, MESSAGE]]);
    expect(failed[0]?.fix).toMatch(/delete the organization and make it again under another name/);
  });
});
