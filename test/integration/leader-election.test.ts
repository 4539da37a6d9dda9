import { isIP, type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { KubeClient, ValidationError } from '@spacekit/sdk';
import { LeaderElector } from '@spacekit/sdk/operator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminKubeConfig, createNamespace, eventually, uniqueName } from '../support/kube.ts';

// Short, but in the same proportions as client-go's defaults (15 s / 10 s / 2 s).
const TIMING = { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 500 };

/** Everything the candidates did, in the order it happened; assertions are on this order, never on durations. */
interface Happening {
  who: string;
  what: string;
  fields?: Record<string, unknown>;
}

interface Candidate {
  identity: string;
  client: KubeClient;
  elector: LeaderElector;
  stop: AbortController;
  done: Promise<void>;
  started: number;
  stopped: number;
  reported: string[];
  workSignal: AbortSignal | undefined;
}

let admin: KubeConfig;
let adminClient: KubeClient;
let namespace: string;
let timeline: Happening[] = [];
const running: Candidate[] = [];

beforeAll(async () => {
  admin = adminKubeConfig();
  adminClient = new KubeClient(admin);
  namespace = uniqueName('leader-election');
  await createNamespace(admin, namespace);
});

beforeEach(() => {
  timeline = [];
});

afterEach(async () => {
  const stopping = running.splice(0);
  for (const c of stopping) c.stop.abort();
  await Promise.all(stopping.map((c) => c.done));
});

afterAll(async () => {
  await admin?.makeApiClient(CoreV1Api).deleteNamespace({ name: namespace });
});

/** A Lease as the tests read and write it by hand, the way any other client would. */
interface Lease {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string };
  spec?: { holderIdentity?: string; leaseDurationSeconds?: number; acquireTime?: string; renewTime?: string; leaseTransitions?: number };
  [field: string]: unknown;
}

function leaseRef(name: string) {
  return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace } };
}

/** A MicroTime: the apiserver wants six fractional digits. */
function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

async function readLease(name: string): Promise<Lease> {
  const lease = await adminClient.read<Lease>(leaseRef(name));
  if (!lease) throw new Error(`Lease ${namespace}/${name} does not exist`);
  return lease;
}

/** Starts a candidate whose work runs until leadership ends, as an operator's controllers would. */
function candidate(identity: string, lease: string, kubeConfig: KubeConfig = admin): Candidate {
  const client = new KubeClient(kubeConfig);
  const stop = new AbortController();
  const state = { started: 0, stopped: 0, reported: [] as string[], workSignal: undefined as AbortSignal | undefined };
  const elector = new LeaderElector({
    client,
    namespace,
    name: lease,
    identity,
    ...TIMING,
    onStartedLeading: (signal) => {
      state.started++;
      state.workSignal = signal;
      timeline.push({ who: identity, what: 'started' });
      return new Promise<void>((done) => signal.addEventListener('abort', () => done(), { once: true }));
    },
    onStoppedLeading: () => {
      state.stopped++;
      timeline.push({ who: identity, what: 'stopped' });
    },
    onNewLeader: (leader) => {
      state.reported.push(leader);
      timeline.push({ who: identity, what: 'new leader', fields: { leader } });
    },
    log: (what, fields) => timeline.push({ who: identity, what, ...(fields && { fields }) }),
  });
  const c: Candidate = Object.assign(state, { identity, client, elector, stop, done: elector.run(stop.signal) });
  running.push(c);
  return c;
}

const until = (what: string, condition: () => boolean) =>
  eventually(what, async () => (condition() ? true : undefined), { timeoutMs: 30_000 });
const position = (who: string, what: string) => timeline.findIndex((h) => h.who === who && h.what === what);
const happenings = (who: string, what: string, from = 0) => timeline.slice(from).filter((h) => h.who === who && h.what === what);

/**
 * A TCP relay to the apiserver that can be cut, so a candidate loses the
 * network the way a crashed or partitioned pod does. The apiserver behind it
 * is the real one; only the wire is taken away.
 */
async function cuttableRoute(): Promise<{ kubeConfig: KubeConfig; cut: () => void }> {
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error('the admin kubeconfig has no current cluster');
  const target = new URL(cluster.server);
  const sockets = new Set<Socket>();
  const relay = createServer((inbound) => {
    const outbound = connect(Number(target.port || 443), target.hostname.replace(/^\[|\]$/g, ''));
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((listening) => relay.listen(0, '127.0.0.1', listening));
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(admin.exportConfig());
  const port = (relay.address() as AddressInfo).port;
  kubeConfig.clusters = kubeConfig.clusters.map((c) =>
    c.name === cluster.name
      ? { ...c, server: `https://127.0.0.1:${port}`, ...(isIP(target.hostname) === 0 && { tlsServerName: target.hostname }) }
      : c,
  );
  return {
    kubeConfig,
    cut: () => {
      relay.close();
      for (const s of sockets) s.destroy();
    },
  };
}

describe('leader election on a real Lease', () => {
  it('refuses timings that could let two leaders overlap', () => {
    const base = { client: adminClient, namespace, name: 'x', identity: 'x', onStartedLeading: () => {}, onStoppedLeading: () => {} };
    const bad = [
      { leaseDurationMs: 3000, renewDeadlineMs: 3000, retryPeriodMs: 500 },
      { leaseDurationMs: 2500, renewDeadlineMs: 2000, retryPeriodMs: 500 },
      { leaseDurationMs: 3000, renewDeadlineMs: 1000, retryPeriodMs: 900 },
    ];
    for (const timing of bad) expect(() => new LeaderElector({ ...base, ...timing }), JSON.stringify(timing)).toThrow(ValidationError);
    expect(() => new LeaderElector({ ...base, identity: '' })).toThrow(/identity: must not be empty/);
    expect(new LeaderElector({ ...base, ...TIMING }).isLeader).toBe(false);
  });

  it('elects exactly one of two candidates, and the other reports it as leader', async () => {
    const lease = uniqueName('lease');
    const a = candidate('a', lease);
    const b = candidate('b', lease);
    await until('a leader', () => a.elector.isLeader || b.elector.isLeader);
    const [leader, standby] = a.elector.isLeader ? [a, b] : [b, a];
    await until('the standby to see the leader', () => standby.reported.includes(leader.identity));
    // Several renewals and standby retries later, still exactly one leader.
    await until('renewals', () => (leader.client.counter.byKind['Lease update'] ?? 0) >= 4);
    expect([a.elector.isLeader, b.elector.isLeader].filter(Boolean)).toHaveLength(1);
    expect(leader.started).toBe(1);
    expect(standby.started).toBe(0);
    expect(standby.reported).toEqual([leader.identity]);
    expect(leader.reported).toEqual([leader.identity]);
    expect(happenings(standby.identity, 'the lease is held and not yet expired').length).toBeGreaterThan(0);
    const stored = await readLease(lease);
    expect(stored.spec).toMatchObject({ holderIdentity: leader.identity, leaseDurationSeconds: 3, leaseTransitions: 0 });
  });

  it('hands over at once when the leader stops gracefully: released, not expired', async () => {
    const lease = uniqueName('lease');
    const a = candidate('a', lease);
    await until('a to lead', () => a.elector.isLeader);
    const b = candidate('b', lease);
    await until('b to see a', () => b.reported.includes('a'));
    const before = (await readLease(lease)).spec?.leaseTransitions ?? 0;

    a.stop.abort();
    await a.done;
    expect(a.workSignal?.aborted).toBe(true);
    expect(a.elector.isLeader).toBe(false);
    expect(a.stopped).toBe(1);
    expect(happenings('a', 'released the lease')).toHaveLength(1);

    await until('b to lead', () => b.elector.isLeader);
    const after = await readLease(lease);
    expect(after.spec?.holderIdentity).toBe('b');
    expect(after.spec?.leaseTransitions).toBe(before + 1);
    expect(position('a', 'stopped')).toBeLessThan(position('b', 'started'));
    // b took a lease that names nobody, so it did not wait for a's to expire.
    expect(happenings('b', 'acquired the lease').map((h) => h.fields?.['previousHolder'])).toEqual(['']);
  });

  it('takes over from a leader that vanished without releasing only after its lease expired, and the old leader stops first', async () => {
    const lease = uniqueName('lease');
    const route = await cuttableRoute();
    const a = candidate('a', lease, route.kubeConfig);
    await until('a to lead', () => a.elector.isLeader);
    const b = candidate('b', lease);
    await until('b to see a', () => b.reported.includes('a'));
    const before = (await readLease(lease)).spec?.leaseTransitions ?? 0;

    const cutAt = timeline.length;
    route.cut();
    // a can no longer renew: it gives up after its renew deadline, and cannot release.
    await a.done;
    expect(a.stopped).toBe(1);
    expect(a.workSignal?.aborted).toBe(true);
    expect(happenings('a', 'leadership lost')).toHaveLength(1);
    expect(happenings('a', 'released the lease')).toHaveLength(0);

    await until('b to lead', () => b.elector.isLeader);
    // b kept finding the lease valid after the cut, until a full lease duration passed unchanged.
    expect(happenings('b', 'the lease is held and not yet expired', cutAt).length).toBeGreaterThan(0);
    expect(happenings('b', 'acquired the lease').map((h) => h.fields?.['previousHolder'])).toEqual(['a']);
    expect(position('a', 'stopped')).toBeLessThan(position('b', 'started'));
    const after = await readLease(lease);
    expect(after.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: before + 1 });
  });

  it('never steals a lease that another live holder keeps renewing, and takes it once renewals stop', async () => {
    const lease = uniqueName('lease');
    // A holder that is not a LeaderElector (client-go, say), renewing by hand.
    const stamp = () => microTime(new Date());
    let current = await adminClient.create<Lease>({
      ...leaseRef(lease),
      spec: { holderIdentity: 'someone-else', leaseDurationSeconds: 3, acquireTime: stamp(), renewTime: stamp(), leaseTransitions: 7 },
    });
    let renewals = 0;
    const holding = new AbortController();
    const holder = (async () => {
      while (!holding.signal.aborted) {
        await new Promise((r) => setTimeout(r, 500));
        current = await adminClient.replace<Lease>({ ...current, spec: { ...current.spec, renewTime: stamp() } });
        renewals++;
      }
    })();

    const c = candidate('c', lease);
    // 18 renewals at 500 ms span three lease durations: expiry by the remote renewTime alone would long have passed.
    await until('the holder to renew for three lease durations', () => renewals >= 18);
    expect(c.started).toBe(0);
    expect(c.elector.isLeader).toBe(false);
    expect(c.reported).toEqual(['someone-else']);
    expect(happenings('c', 'the lease is held and not yet expired').length).toBeGreaterThanOrEqual(3);
    expect((await readLease(lease)).spec?.holderIdentity).toBe('someone-else');
    expect(c.client.counter.writes).toBe(0);

    const stoppedAt = timeline.length;
    holding.abort();
    await holder;
    await until('c to take the abandoned lease', () => c.elector.isLeader);
    expect(happenings('c', 'acquired the lease', stoppedAt).map((h) => h.fields?.['previousHolder'])).toEqual(['someone-else']);
    expect((await readLease(lease)).spec).toMatchObject({ holderIdentity: 'c', leaseTransitions: 8 });
  });

  it('writes nothing but Lease updates while leading, and one more to release', async () => {
    const lease = uniqueName('lease');
    const solo = candidate('solo', lease);
    await until('five renewals', () => (solo.client.counter.byKind['Lease update'] ?? 0) >= 5);
    expect(solo.elector.isLeader).toBe(true);
    const updates = solo.client.counter.byKind['Lease update'] ?? 0;
    expect(solo.client.counter.byKind).toEqual({ 'Lease create': 1, 'Lease update': updates });
    expect(solo.client.counter.writes).toBe(1 + updates);

    // Counted just above with nothing awaited since, so any renewal already sent is in `updates`.
    solo.stop.abort();
    await solo.done;
    expect(solo.client.counter.byKind).toEqual({ 'Lease create': 1, 'Lease update': updates + 1 });
    const released = await readLease(lease);
    expect(released.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 0 });
  });
});
