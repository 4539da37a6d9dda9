// Network isolation as a pod sees it, on the local cluster's real node: every
// connection below is opened from inside a pod, and NetworkPolicies are
// enforced by the node's engine (kube-router), not just stored.
import { NetworkingV1Api } from '@kubernetes/client-node';
import type { Spacekit } from '@spacekit/sdk';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminKubeConfig, expectStatus, impersonating, uniqueName } from '../support/kube.ts';
import { connectEventually, connectFrom, type Probe, resolveFrom, runProbes } from '../support/probe.ts';
import { adminKit } from '../support/spacekit.ts';

const admin = adminKubeConfig();
const hasNode = inject('realNodes').length > 0;
const suffix = uniqueName('net').slice(4);
const orgA = `neta-${suffix}`;
const orgB = `netb-${suffix}`;
const ns = (o: string, t: string, s: string) => `${o}--${t}--${s}`;

let kit: Spacekit;
const probes: Record<string, Probe[]> = {};
const one = (namespace: string) => probes[namespace]![0]!;
const at = (p: Probe) => `${p.ip}:8080`;

describe.runIf(hasNode)(`network isolation on the real node${hasNode ? '' : ` (not run: ${inject('nodesSkipped')})`}`, () => {
  beforeAll(async () => {
    kit = await adminKit();
    const spaces: {
      o: string;
      t: string;
      s: string;
      network?: { preset?: 'isolated' | 'tenant' | 'organization'; allowFrom?: string[] };
    }[] = [
      { o: orgA, t: 't1', s: 'a' },
      { o: orgA, t: 't1', s: 'b' },
      { o: orgA, t: 't1', s: 'tenant', network: { preset: 'tenant' } },
      { o: orgA, t: 't1', s: 'org', network: { preset: 'organization' } },
      { o: orgA, t: 't2', s: 'a' },
      { o: orgA, t: 't2', s: 'listed', network: { allowFrom: ['t1/a'] } },
      { o: orgB, t: 't1', s: 'a' },
    ];
    for (const o of [orgA, orgB]) {
      await kit.organizations.create({ name: o, resources: { cpu: 8, memory: '16Gi' }, policy: { allowUnsandboxed: true } });
      for (const t of ['t1', 't2']) await kit.tenants.create({ organization: o, name: t, resources: { cpu: 4, memory: '8Gi' } });
    }
    await Promise.all(
      spaces.map((x) =>
        kit.spaces.create({
          organization: x.o,
          tenant: x.t,
          name: x.s,
          resources: { cpu: 1, memory: '1Gi' },
          sandbox: 'none',
          ...(x.network && { network: x.network }),
          members: [{ kind: 'User', name: `dev-${x.o}-${x.t}-${x.s}`, role: 'developer' }],
        }),
      ),
    );
    await Promise.all(
      spaces.map(async (x) => {
        const namespace = ns(x.o, x.t, x.s);
        probes[namespace] = await runProbes(admin, namespace, x.o === orgA && x.t === 't1' && x.s === 'a' ? 2 : 1);
      }),
    );
  });

  afterAll(async () => {
    await Promise.all([orgA, orgB].map((o) => kit?.organizations.delete(o)));
  });

  it('lets pods of one Space reach each other, by pod IP and through their Service', async () => {
    const [first, second] = probes[ns(orgA, 't1', 'a')]!;
    expect(await connectFrom(admin, first!, at(second!))).toMatchObject({ connected: true });
    expect(await connectEventually(admin, second!, `probe.${ns(orgA, 't1', 'a')}.svc.cluster.local:80`)).toMatchObject({ connected: true });
  });

  it('refuses every connection the policies forbid, and lets exactly the allowed peers through', async () => {
    const A = (t: string, s: string) => one(ns(orgA, t, s));
    const B = one(ns(orgB, 't1', 'a'));
    const cases: { from: Probe; to: Probe; via?: 'service'; allowed: boolean; why: string }[] = [
      { from: A('t1', 'a'), to: A('t1', 'b'), allowed: false, why: 'another Space of the same tenant' },
      { from: A('t2', 'a'), to: A('t1', 'a'), allowed: false, why: 'a Space of another tenant' },
      { from: B, to: A('t1', 'a'), allowed: false, why: 'a Space of another organization' },
      { from: B, to: A('t1', 'a'), via: 'service', allowed: false, why: 'the Service of a Space of another organization' },
      { from: A('t2', 'a'), to: A('t1', 'a'), via: 'service', allowed: false, why: 'the Service of a Space of another tenant' },
      { from: A('t1', 'a'), to: A('t1', 'tenant'), allowed: true, why: 'preset tenant: a Space of the same tenant' },
      { from: A('t2', 'a'), to: A('t1', 'tenant'), allowed: false, why: 'preset tenant: a Space of another tenant' },
      { from: A('t2', 'a'), to: A('t1', 'org'), allowed: true, why: 'preset organization: a Space of another tenant of the organization' },
      { from: B, to: A('t1', 'org'), allowed: false, why: 'preset organization: a Space of another organization' },
      { from: A('t1', 'a'), to: A('t2', 'listed'), allowed: true, why: 'allowFrom t1/a: the listed Space' },
      { from: A('t1', 'b'), to: A('t2', 'listed'), allowed: false, why: 'allowFrom t1/a: a Space not listed' },
    ];
    // Controls: every target answers through its Service from inside its own Space,
    // so a refusal below is the policy's doing, not a Service not yet programmed.
    const service = (p: Probe) => `probe.${p.namespace}.svc.cluster.local:80`;
    for (const target of new Set(cases.map((c) => c.to))) {
      expect(await connectEventually(admin, target, service(target)), `control: ${target.namespace} reaches its own Service`).toMatchObject(
        {
          connected: true,
        },
      );
    }
    const seen = await Promise.all(
      cases.map(async (c) => {
        const addr = c.via === 'service' ? service(c.to) : at(c.to);
        const report = c.allowed ? await connectEventually(admin, c.from, addr) : await connectFrom(admin, c.from, addr);
        return { why: c.why, from: c.from.namespace, to: addr, connected: report.connected, error: report.error };
      }),
    );
    expect(seen.map((s) => ({ why: s.why, connected: s.connected }))).toEqual(cases.map((c) => ({ why: c.why, connected: c.allowed })));
  });

  it('blocks egress to the cloud metadata address, and resolves names through cluster DNS', async () => {
    const p = one(ns(orgA, 't1', 'a'));
    const metadata = await connectFrom(admin, p, '169.254.169.254:80');
    expect(metadata.connected).toBe(false);
    const own = await resolveFrom(admin, p, `probe.${ns(orgA, 't1', 'b')}.svc.cluster.local`);
    expect(own.error).toBeUndefined();
    expect(own.addrs).toHaveLength(1);
    const api = await resolveFrom(admin, p, 'kubernetes.default.svc.cluster.local');
    expect(api.addrs).toEqual(['10.96.0.1']);
  });

  it("lets a member's own NetworkPolicy open their Space, and nothing else", async () => {
    const target = ns(orgA, 't1', 'b');
    const other = ns(orgA, 't1', 'a');
    const dev = impersonating(admin, `dev-${orgA}-t1-b`);
    const openAll = (namespace: string) => ({
      namespace,
      body: {
        metadata: { name: 'open-to-all' },
        spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ _from: [{ namespaceSelector: {} }] }] },
      },
    });
    await expectStatus(dev.makeApiClient(NetworkingV1Api).createNamespacedNetworkPolicy(openAll(other)), 403);
    await expectStatus(
      dev.makeApiClient(NetworkingV1Api).deleteNamespacedNetworkPolicy({ name: 'spacekit-default-deny', namespace: target }),
      403,
    );
    const B = one(ns(orgB, 't1', 'a'));
    expect((await connectFrom(admin, B, at(one(target)))).connected).toBe(false);
    await dev.makeApiClient(NetworkingV1Api).createNamespacedNetworkPolicy(openAll(target));
    // The engine applies a new policy on its next sync; the pod's view is what counts.
    expect((await connectEventually(admin, B, at(one(target)))).connected).toBe(true);
    expect((await connectFrom(admin, B, at(one(other)))).connected).toBe(false);
  });
});
