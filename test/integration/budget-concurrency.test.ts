import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Spacekit } from '@spacekit/sdk';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { budgetSnapshot, budgetViolations, totalMismatches } from '../support/budget-invariants.ts';
import { adminKubeConfig, uniqueName } from '../support/kube.ts';
import { isAlive } from '../support/processes.ts';
import { adminKit } from '../support/spacekit.ts';

// Three processes, each with its own connection, change one organization's budgets at once while this file
// takes snapshot after snapshot of what the cluster enforces: no parent's children may ever hold more than its
// budget, and once they stop, every parent's recorded total must be what its children hold.

const WORKER = fileURLToPath(new URL('../support/budget-worker.ts', import.meta.url));
const WORKERS = 3;
const OPS_PER_WORKER = Number(process.env.BUDGET_OPS_PER_WORKER ?? 100);
const SEED = Number(process.env.BUDGET_SEED ?? 20261203);
const TYPED_REFUSALS = ['QUOTA_EXCEEDED', 'NOT_FOUND', 'CONFLICT'];
// What a CONFLICT may say here: the name is taken, its namespace is still going, it is being deleted, another
// process's change of it is in flight, or another process changed the same object between a read and a write.
const CONFLICTS =
  /already exists; use update|is still being deleted|is being deleted, so it cannot be changed|is in flight|the object has been modified/;
const admin = adminKubeConfig();
const org = uniqueName('budrace');
let kit: Spacekit;
const children: ChildProcess[] = [];

/** One line of a worker's log. */
interface Outcome {
  worker: number;
  i: number;
  op: string;
  target: string;
  outcome: string;
  error?: string;
  message?: string;
}

function startWorker(id: number): { child: ChildProcess; outcomes: Outcome[]; stderr: string[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [WORKER], {
    env: {
      ...process.env,
      SPACEKIT_KUBECONFIG: inject('kubeconfigPath'),
      WORKER_ORG: org,
      WORKER_ID: String(id),
      WORKER_SEED: String(SEED + id),
      WORKER_OPS: String(OPS_PER_WORKER),
      WORKER_TENANTS: 'a,b',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const outcomes: Outcome[] = [];
  const stderr: string[] = [];
  createInterface(child.stdout!).on('line', (line) => {
    const entry = JSON.parse(line) as Outcome & { event?: string };
    if (!entry.event) outcomes.push(entry);
  });
  createInterface(child.stderr!).on('line', (line) => stderr.push(line));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, outcomes, stderr, exited };
}

beforeAll(async () => {
  kit = await adminKit();
  // Tight on purpose: the two tenants that stay and the two that come and go cannot all have what they ask for.
  await kit.organizations.create({ name: org, resources: { cpu: 6, memory: '6Gi' } });
  await kit.tenants.create({ organization: org, name: 'a', resources: { cpu: 2, memory: '2Gi' } });
  await kit.tenants.create({ organization: org, name: 'b', resources: { cpu: 2, memory: '2Gi' } });
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await kit?.organizations.delete(org).catch(() => undefined);
  for (const child of children) expect(isAlive(child.pid ?? 0)).toBe(false);
});

describe('budgets changed by three processes at once', () => {
  it('never lets children hold more than their parent has, and ends with every total equal to what its children hold', async () => {
    const workers = Array.from({ length: WORKERS }, (_, id) => startWorker(id));
    let snapshots = 0;
    const violations: string[] = [];
    const check = async (why: string) => {
      const snapshot = await budgetSnapshot(admin, org);
      snapshots++;
      for (const v of budgetViolations(snapshot)) violations.push(`${why} at resourceVersion ${snapshot.resourceVersion}: ${v}`);
    };
    let running = true;
    const finished = Promise.all(
      workers.map(async (w, id) => {
        const code = await w.exited;
        await check(`after worker ${id} finished`);
        return code;
      }),
    ).finally(() => {
      running = false;
    });
    // As often as the API server answers, for as long as any worker runs.
    while (running) await check('while the workers ran');
    const codes = await finished;
    expect(codes, workers.map((w) => w.stderr.join('\n')).join('\n')).toEqual([0, 0, 0]);

    const outcomes = workers.flatMap((w) => w.outcomes);
    expect(outcomes).toHaveLength(WORKERS * OPS_PER_WORKER);
    const byOutcome = Object.groupBy(outcomes, (o) => o.outcome);
    const tally: Record<string, number> = {};
    for (const o of outcomes) tally[`${o.op} ${o.outcome}`] = (tally[`${o.op} ${o.outcome}`] ?? 0) + 1;
    process.stderr.write(
      `[budget-concurrency] seed ${SEED}: ${outcomes.length} operations ${JSON.stringify(tally)}; ${snapshots} snapshots, ${violations.length} violations${violations.length > 0 ? `, first: ${violations.slice(0, 3).join(' | ')}` : ''}\n`,
    );
    const unexpected = outcomes.filter((o) => o.outcome !== 'ok' && !TYPED_REFUSALS.includes(o.outcome));
    expect(unexpected).toEqual([]);
    expect(outcomes.filter((o) => o.outcome === 'CONFLICT' && !CONFLICTS.test(o.message ?? ''))).toEqual([]);
    // The budgets are tight enough that refusals happen, and loose enough that work gets done.
    const refusals = byOutcome.QUOTA_EXCEEDED ?? [];
    expect(refusals.length).toBeGreaterThan(0);
    expect(new Set(refusals.map((o) => o.op)).size).toBeGreaterThan(1);
    expect(byOutcome.ok?.length ?? 0).toBeGreaterThan(outcomes.length / 4);

    expect(violations).toEqual([]);
    expect(snapshots).toBeGreaterThan(WORKERS);

    // Quiesced: nothing runs any more, so every recorded total must be exactly what the children hold.
    const final = await budgetSnapshot(admin, org);
    expect(budgetViolations(final)).toEqual([]);
    expect(totalMismatches(final)).toEqual([]);
    expect(final.quotas.length).toBe(final.spaces.length);
  });
});
