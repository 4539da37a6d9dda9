// A process that changes budgets at random, as one of several clients of one
// organization would: it creates, grows, shrinks and deletes Spaces and
// Tenants through its own connect(), and prints one JSON line per operation
// with its outcome, then {"event":"done"} and exits 0.
//
// Environment: SPACEKIT_KUBECONFIG, WORKER_ORG, WORKER_ID, WORKER_SEED,
// WORKER_OPS (how many operations), WORKER_TENANTS (the tenants that stay,
// comma-separated). Every worker draws Space names from one shared pool per
// tenant, so that workers also race for the same names. The seed fixes each worker's sequence of draws;
// which names exist when it draws, and so the outcomes, depend on how the workers interleave.
import { connect, SpacekitError } from '@spacekit/sdk';

const say = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);

/** mulberry32: a small seeded generator, so that a run can be repeated from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const organization = process.env.WORKER_ORG ?? '';
const worker = Number(process.env.WORKER_ID ?? 0);
const next = random(Number(process.env.WORKER_SEED ?? 1));
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
const tenants = (process.env.WORKER_TENANTS ?? '').split(',').filter(Boolean);
// Tenants that come and go: shared by all workers, so deletes and creates race too.
const extraTenants = ['x0', 'x1'];
const spaceNames = ['s0', 's1', 's2', 's3', 's4', 's5'];
const sizes = [
  { cpu: '250m', memory: '256Mi' },
  { cpu: '500m', memory: '512Mi' },
  { cpu: '500m', memory: '1Gi' },
  { cpu: '1', memory: '768Mi' },
];
const tenantSizes = [
  { cpu: 1, memory: '1Gi' },
  { cpu: 2, memory: '2Gi' },
  { cpu: '2500m', memory: '3Gi' },
];

let lastSize: unknown;
const sized = <T>(size: T): T => {
  lastSize = size;
  return size;
};
const kit = await connect({ kubeconfig: process.env.SPACEKIT_KUBECONFIG ?? '' });

/** The names that exist now, so that most operations aim at something real; the rest aim blind, to race. */
async function existing(tenant: string): Promise<Set<string>> {
  return new Set((await kit.spaces.list({ organization, tenant })).map((s) => s.metadata.name));
}

/** One operation, chosen by the seed: what it is, on what, and the call that does it. */
async function choose(): Promise<{ op: string; target: string; run: () => Promise<unknown> }> {
  const roll = next();
  // Mostly the tenants that stay; now and then one that may be gone or going.
  const tenant = next() < 0.8 ? pick(tenants) : pick(extraTenants);
  const blind = next() < 0.2;
  const names = await existing(tenant);
  const among = (want: boolean) => spaceNames.filter((n) => names.has(n) === want);
  const space = (want: boolean) => ({ organization, tenant, name: pick(blind || among(want).length === 0 ? spaceNames : among(want)) });
  if (roll < 0.4) {
    const ref = space(false);
    return { op: 'create-space', target: `${tenant}/${ref.name}`, run: () => kit.spaces.create({ ...ref, resources: sized(pick(sizes)) }) };
  }
  if (roll < 0.7) {
    const ref = space(true);
    return { op: 'resize-space', target: `${tenant}/${ref.name}`, run: () => kit.spaces.update(ref, { resources: sized(pick(sizes)) }) };
  }
  if (roll < 0.82) {
    const ref = space(true);
    return { op: 'delete-space', target: `${tenant}/${ref.name}`, run: () => kit.spaces.delete(ref) };
  }
  const ref = { organization, name: pick(next() < 0.5 ? tenants : extraTenants) };
  if (roll < 0.91 || !extraTenants.includes(ref.name)) {
    return { op: 'resize-tenant', target: ref.name, run: () => kit.tenants.update(ref, { resources: sized(pick(tenantSizes)) }) };
  }
  const exists = (await kit.tenants.list({ organization })).some((t) => t.metadata.name === ref.name);
  if (blind ? roll < 0.97 : !exists) {
    return { op: 'create-tenant', target: ref.name, run: () => kit.tenants.create({ ...ref, resources: sized(pick(tenantSizes)) }) };
  }
  return { op: 'delete-tenant', target: ref.name, run: () => kit.tenants.delete(ref) };
}

const ops = Number(process.env.WORKER_OPS ?? 0);
for (let i = 0; i < ops; i++) {
  const { op, target, run } = await choose();
  lastSize = undefined;
  const started = Date.now();
  try {
    await run();
    say({ worker, i, op, target, outcome: 'ok', size: lastSize, started, ended: Date.now() });
  } catch (err) {
    const code = err instanceof SpacekitError ? err.code : 'UNTYPED';
    say({
      worker,
      i,
      op,
      target,
      outcome: code,
      size: lastSize,
      started,
      ended: Date.now(),
      error: (err as Error).name,
      message: String((err as Error).message).split('\n')[0],
    });
  }
}
say({ event: 'done', worker });
process.exit(0);
