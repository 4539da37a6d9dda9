import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { CoreV1Api } from '@kubernetes/client-node';
import { LABELS, type Spacekit } from '@spacekit/sdk';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type BudgetSnapshot, budgetSnapshot, budgetViolations, monitorBudgets, totalMismatches } from '../support/budget-invariants.ts';
import { adminKubeConfig, eventually, uniqueName } from '../support/kube.ts';
import { adminKitWithOperator, SHARD_LABEL, type ShardOperator, startShardOperator } from '../support/operator.ts';
import { isAlive } from '../support/processes.ts';

// A client SIGKILLed after it reserved a Space's share of its tenant's budget and before it created the Space
// (the failpoint `space-create-after-reserve` holds it exactly there): the share must neither stay held by a
// Space that does not exist nor be counted twice when the name is created again.

const CLI = join(resolve(import.meta.dirname, '../..'), 'packages/sdk/src/cli/main.ts');
const FAILPOINT = 'space-create-after-reserve';
const shard = uniqueName('budcrash');
const org = shard;
const admin = adminKubeConfig();
let kit: Spacekit;
let operator: ShardOperator | undefined;
const clients: ChildProcess[] = [];

/** `spacekit <args>` as its own process, stopped at `failpoint`; resolves once it says it is there. */
async function stoppedAtFailpoint(args: readonly string[], failpoint: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, '--kubeconfig', inject('kubeconfigPath'), ...args], {
    env: { ...process.env, SPACEKIT_FAILPOINT: failpoint },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  clients.push(child);
  const stderr: string[] = [];
  await new Promise<void>((reached, failed) => {
    createInterface(child.stderr!).on('line', (line) => {
      stderr.push(line);
      if (line === `failpoint ${failpoint}`) reached();
    });
    child.once('exit', (code) => failed(new Error(`spacekit exited (${code}) before the failpoint:\n${stderr.join('\n')}`)));
  });
  return child;
}

/** `spacekit create space` stopped after it reserved the Space's share and before it created the Space. */
function createStoppedAtFailpoint(name: string, cpu: string, memory: string): Promise<ChildProcess> {
  return stoppedAtFailpoint(['create', 'space', `${org}/ci/${name}`, '--cpu', cpu, '--memory', memory], FAILPOINT);
}

/** The `hard` of a Space's quota in a snapshot. */
function quotaHard(s: BudgetSnapshot, space: string): Record<string, string> | undefined {
  return s.quotas.find((q) => q.metadata?.labels?.[LABELS.space] === space)?.spec?.hard;
}

async function sigkill(child: ChildProcess): Promise<void> {
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGKILL');
  await exited;
  expect(child.signalCode).toBe('SIGKILL');
}

const snapshot = () => budgetSnapshot(admin, org);

beforeAll(async () => {
  kit = await adminKitWithOperator();
  await kit.organizations.create({ name: org, labels: { [SHARD_LABEL]: shard }, resources: { cpu: 4, memory: '4Gi' } });
  await kit.tenants.create({ organization: org, name: 'ci', resources: { cpu: 2, memory: '2Gi' } });
});

afterAll(async () => {
  for (const child of clients) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await kit?.organizations.delete(org).catch(() => undefined);
  if (operator) {
    expect(await operator.shutdown()).toBe(0);
    expect(isAlive(operator.pid)).toBe(false);
  }
  for (const child of clients) expect(isAlive(child.pid ?? 0)).toBe(false);
});

describe('a client killed between reserving and creating a Space', () => {
  it('holds a share for a Space that does not exist, and a create of the same name takes it over once its lease lapsed, without counting it twice', async () => {
    // No operator runs yet, so nothing releases the share before the second create.
    const client = await createStoppedAtFailpoint('twice', '1', '1Gi');
    const held = await snapshot();
    expect(held.spaces.map((s) => s.metadata.name)).toEqual([]);
    expect(totalMismatches(held)).toEqual([
      `tenant ci: requests.cpu recorded 1, children hold 0`,
      `tenant ci: requests.memory recorded 1Gi, children hold 0`,
    ]);
    await sigkill(client);

    const again = { organization: org, tenant: 'ci', name: 'twice', resources: { cpu: '500m', memory: '512Mi' } };
    // Until its lease lapses, the killed client could as well be alive and about to create the Space and record
    // the share: the name is not taken over yet, and nothing is made.
    await expect(kit.spaces.create(again)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/is in flight/) });
    expect((await snapshot()).spaces.map((s) => s.metadata.name)).toEqual([]);
    const space = await eventually(
      'the create of the same name, once the lease has lapsed',
      () => kit.spaces.create(again).catch((err: { code?: string }) => (err.code === 'CONFLICT' ? undefined : Promise.reject(err))),
      { intervalMs: 1000 },
    );
    expect(space.status?.phase).toBe('Ready');
    const after = await snapshot();
    expect(totalMismatches(after)).toEqual([]);
    expect(budgetViolations(after)).toEqual([]);
    expect(after.tenants.find((t) => t.metadata.name === 'ci')?.status?.usage?.allocated).toEqual({
      'requests.cpu': '500m',
      'requests.memory': '512Mi',
    });
  });

  it("gives the share back once the operator's orphan release runs, so the whole budget can be used again", async () => {
    const client = await createStoppedAtFailpoint('lost', '1500m', '1536Mi');
    // The tenant's budget is now full, though only 'twice' exists: what the lost create holds is refused to others.
    await expect(
      kit.spaces.create({ organization: org, tenant: 'ci', name: 'waiting', resources: { cpu: '1', memory: '1Gi' } }),
    ).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED', resource: 'requests.cpu', free: '0' });
    await sigkill(client);
    expect((await snapshot()).spaces.map((s) => s.metadata.name)).toEqual(['twice']);

    operator = await startShardOperator(shard, { orphanGrace: '2s' });
    const converged = await eventually('the lost share released', async () => {
      const s = await snapshot();
      return totalMismatches(s).length === 0 ? s : undefined;
    });
    expect(budgetViolations(converged)).toEqual([]);
    expect(converged.spaces.map((s) => s.metadata.name)).toEqual(['twice']);
    // The operator says what it did, on the tenant.
    const events = await eventually('the release event', async () => {
      const list = await admin
        .makeApiClient(CoreV1Api)
        .listNamespacedEvent({ namespace: org, fieldSelector: 'reason=ReleasedOrphanAllocation' });
      return list.items.length > 0 ? list.items : undefined;
    });
    expect(events.map((e) => [e.involvedObject.name, e.message])).toEqual([
      ['ci', 'released the allocation of space lost, which does not exist (a create that crashed half-way)'],
    ]);

    const full = await kit.spaces.create({ organization: org, tenant: 'ci', name: 'rest', resources: { cpu: '1500m', memory: '1536Mi' } });
    expect(full.status?.phase).toBe('Ready');
    const final = await snapshot();
    expect(totalMismatches(final)).toEqual([]);
    expect(budgetViolations(final)).toEqual([]);
    expect(final.tenants.find((t) => t.metadata.name === 'ci')?.status?.usage?.allocated).toEqual({
      'requests.cpu': '2',
      'requests.memory': '2Gi',
    });
  });

  it('gives a shrink back only once the quota applies it, and puts a shrink its maker recorded in force when the maker dies', async () => {
    const rest = { organization: org, tenant: 'ci', name: 'rest' };
    const cpuOf = (s: BudgetSnapshot) => s.tenants.find((t) => t.metadata.name === 'ci')?.status?.usage?.allocated?.['requests.cpu'];
    // Stopped after it recorded the shrink in the Space, before it applied the smaller quota.
    const client = await stoppedAtFailpoint(
      ['update', 'space', `${org}/ci/rest`, '--cpu', '500m', '--memory', '512Mi'],
      'space-change-after-record',
    );
    const recorded = await snapshot();
    expect(recorded.spaces.find((s) => s.metadata.name === 'rest')?.status?.allocation).toEqual({
      'requests.cpu': '500m',
      'requests.memory': '512Mi',
    });
    expect(quotaHard(recorded, 'rest')).toMatchObject({ 'requests.cpu': '1500m' });
    // What the quota still grants stays counted, so nothing can be given it twice.
    expect(cpuOf(recorded)).toBe('2');
    await expect(kit.spaces.update({ ...rest, name: 'twice' }, { resources: { cpu: '1500m', memory: '1536Mi' } })).rejects.toMatchObject({
      code: 'QUOTA_EXCEEDED',
      resource: 'requests.cpu',
    });
    // Another change of the same Space waits for the one in flight instead of settling it early.
    await expect(kit.spaces.update(rest, { resources: { cpu: '1', memory: '1Gi' } })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/is in flight/),
    });
    expect(budgetViolations(await snapshot())).toEqual([]);

    // Once the dead maker's lease lapses, the operator applies the recorded shrink and only then gives it back.
    const monitor = monitorBudgets(admin, org);
    await sigkill(client);
    const converged = await eventually(
      'the recorded shrink in force and given back',
      async () => {
        const s = await snapshot();
        const tenant = s.tenants.find((t) => t.metadata.name === 'ci');
        return !tenant?.status?.reservations && quotaHard(s, 'rest')?.['requests.cpu'] === '500m' && totalMismatches(s).length === 0
          ? s
          : undefined;
      },
      { timeoutMs: 90_000 },
    );
    const watched = await monitor.stop();
    expect(watched.violations).toEqual([]);
    expect(watched.snapshots).toBeGreaterThan(1);
    expect(cpuOf(converged)).toBe('1');
    const space = converged.spaces.find((s) => s.metadata.name === 'rest');
    expect(space?.status?.appliedAllocationId).toBe(space?.status?.allocationId);

    const grown = await kit.spaces.update({ ...rest, name: 'twice' }, { resources: { cpu: '1500m', memory: '1536Mi' } });
    expect(grown.status?.phase).toBe('Ready');
    const final = await snapshot();
    expect(totalMismatches(final)).toEqual([]);
    expect(budgetViolations(final)).toEqual([]);
    expect(cpuOf(final)).toBe('2');
  });
});
