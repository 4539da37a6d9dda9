import { HttpMethod, type KubeClient, serverMessage } from '../kube/index.ts';
import type { KubeObject } from '../render/index.ts';
import { pooled } from '../util/pool.ts';
import { compliantPod } from './probes.ts';
import type { CheckResult } from './report.ts';

// The live checks: pods in short-lived probe Spaces report, from inside, what they can reach and which kernel
// they run on. The probe image serves GET /connect?addr=HOST:PORT&timeout=… and GET /kernel on :8080 (the local
// cluster's is packages/local-cluster/go/cmd/probe); the checks reach it through the API server's pod proxy.

/** How to run the live checks. */
export interface LiveOptions {
  /** An image that serves Spacekit's probe API on :8080 (the local cluster's: `spacekit.dev/probe:v1`). */
  image: string;
  /** Only nodes with these labels run the probes. */
  nodeSelector?: Record<string, string>;
  /** How long the probe pods may take to become Ready (default 120 s). */
  timeoutMs?: number;
  /** Aborting stops the checks; the probe Spaces are removed all the same. */
  signal?: AbortSignal;
}

/** The probe Spaces, made and removed by the caller: two Spaces of one tenant and one of another, all sandboxed. */
export interface ProbeSpaces {
  /** Their namespaces: `a` and `b` in one tenant, `c` in another. */
  create(): Promise<{ subject: string; a: string; b: string; c: string }>;
  remove(): Promise<void>;
}

/** A Space in scope, whose own running pods a probe pod of another organization tries to reach. */
export interface LiveTarget {
  subject: string;
  namespace: string;
}

/** The address a cloud's metadata service answers on, which no tenant pod may reach. */
export const METADATA_ADDRESS = '169.254.169.254:80';

const LIVE_IDS = [
  'network.within-space-allowed',
  'network.other-space-refused',
  'network.other-tenant-refused',
  'network.metadata-refused',
  'network.space-pods-unreachable',
  'sandbox.gvisor-inside',
] as const;

/** The live checks, each not run for `why`. */
export const notRun = (why: string, subject = 'probe Spaces'): CheckResult[] =>
  LIVE_IDS.map((id) => ({ id, category: 'live', subject, status: 'not-run', expected: why }));

/** Whether a node can run the probes: Ready, schedulable, not a kwok stand-in, and matching the selector. */
export function runsPods(node: KubeObject, selector: Record<string, string> = {}): boolean {
  const spec = node.spec as { unschedulable?: boolean; taints?: { effect?: string }[] } | undefined;
  const status = node.status as { conditions?: { type: string; status: string }[] } | undefined;
  const labels = node.metadata.labels ?? {};
  return (
    status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true &&
    spec?.unschedulable !== true &&
    !(spec?.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute') &&
    node.metadata.annotations?.['kwok.x-k8s.io/node'] !== 'fake' &&
    Object.entries(selector).every(([k, v]) => labels[k] === v)
  );
}

/** The compliant pod of the dry-run checks, made to run: the probe image, serving on :8080, on a node that runs pods. */
function probePod(namespace: string, name: string, options: LiveOptions): KubeObject {
  const pod = compliantPod(namespace);
  const [container] = pod.spec.containers;
  Object.assign(container, {
    image: options.image,
    imagePullPolicy: 'IfNotPresent',
    ports: [{ containerPort: 8080 }],
    readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
  });
  const { generateName: _, ...metadata } = pod.metadata;
  return {
    ...pod,
    metadata: { ...metadata, name, labels: { 'spacekit.dev/verify': 'probe' } },
    spec: { ...pod.spec, ...(options.nodeSelector && { nodeSelector: options.nodeSelector }) },
  };
}

const podKey = (pod: KubeObject | undefined) => `${pod?.metadata.namespace}/${pod?.metadata.name}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('verify was stopped');
}

/** The pods' IPs once all are Ready, or why they are not. */
async function readyIps(client: KubeClient, pods: readonly KubeObject[], options: LiveOptions): Promise<Map<string, string> | string> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let last = '';
  for (;;) {
    throwIfAborted(options.signal);
    const live = await Promise.all(pods.map((p) => client.read<KubeObject>(p)));
    const ips = new Map<string, string>();
    const waiting: string[] = [];
    for (const [i, pod] of live.entries()) {
      const status = pod?.status as { podIP?: string; phase?: string; conditions?: { type: string; status: string }[] } | undefined;
      const ready = status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      if (ready && status?.podIP) ips.set(podKey(pods[i]), status.podIP);
      else waiting.push(`${pods[i]?.metadata.namespace}/${pods[i]?.metadata.name} ${status?.phase ?? 'missing'}`);
    }
    if (waiting.length === 0) return ips;
    last = waiting.join(', ');
    if (Date.now() > deadline) return `probe pods not Ready in time: ${last}`;
    await sleep(500);
  }
}

type Connect = { connected: boolean; error?: string };

async function proxyGet<T>(client: KubeClient, pod: KubeObject, path: string, query: Record<string, string>): Promise<T> {
  const at = `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}:8080/proxy/${path}`;
  return client.raw.request<T>(HttpMethod.GET, at, { query });
}

/**
 * Connects from `pod` to `addr`, and tries again for a while until the answer is `until`'s: the node programs
 * a new pod's rules, or a new policy's, a moment after the pod is Ready, and until then everything connects.
 * So a pod that keeps connecting all that while is reported as connected, and one refused twice running as refused.
 */
async function connect(client: KubeClient, pod: KubeObject, addr: string, until: 'connected' | 'refused'): Promise<Connect> {
  const deadline = Date.now() + 30_000;
  // A refusal must hold twice in a row: one slow answer under load is not yet a refusal.
  const needed = until === 'refused' ? 2 : 1;
  for (let streak = 0; ; ) {
    const report = await proxyGet<Connect>(client, pod, 'connect', { addr, timeout: '2s' });
    streak = report.connected === (until === 'connected') ? streak + 1 : 0;
    if (streak >= needed || (streak === 0 && Date.now() > deadline)) return report;
    if (streak === 0) await sleep(500);
  }
}

function refused(id: (typeof LIVE_IDS)[number], subject: string, what: string, report: Connect, mtb?: string): CheckResult {
  const base = { id, category: 'live', subject, ...(mtb && { mtb }) } as const;
  if (!report.connected) return { ...base, status: 'passed' };
  return {
    ...base,
    status: 'failed',
    expected: `${what} is refused`,
    seen: 'the connection was opened from inside the pod, again and again for 30 s',
    fix: 'look for a NetworkPolicy that admits it (kubectl get networkpolicies -A) and check that the node enforces NetworkPolicies',
  };
}

/** The first running pod of `namespace` on a node that runs pods, with the first TCP port it declares. */
async function listening(client: KubeClient, namespace: string, real: ReadonlySet<string | undefined>) {
  const pods = await client.list<KubeObject>('v1', 'Pod', namespace, '');
  for (const pod of pods) {
    const spec = pod.spec as { nodeName?: string; containers?: { ports?: { containerPort: number; protocol?: string }[] }[] };
    const status = pod.status as { phase?: string; podIP?: string } | undefined;
    // A kwok node's pods have made-up addresses: a refused connection to one would be a false pass.
    if (status?.phase !== 'Running' || !status.podIP || !real.has(spec.nodeName)) continue;
    const port = spec.containers?.flatMap((c) => c.ports ?? []).find((p) => (p.protocol ?? 'TCP') === 'TCP');
    if (port) return { name: pod.metadata.name, addr: `${status.podIP}:${port.containerPort}` };
  }
  return undefined;
}

/** From a pod of the probe organization, which no Space lets in, a connection to a running pod of each Space in scope must be refused. */
async function intoSpaces(
  client: KubeClient,
  from: KubeObject,
  targets: readonly LiveTarget[],
  real: ReadonlySet<string | undefined>,
): Promise<CheckResult[]> {
  return pooled(
    targets.map((target) => async (): Promise<CheckResult> => {
      const base = { id: 'network.space-pods-unreachable', category: 'live', subject: target.subject } as const;
      const pod = await listening(client, target.namespace, real);
      if (!pod) return { ...base, status: 'not-run', expected: 'no running pod of the Space declares a TCP port to try' };
      const report = await connect(client, from, pod.addr, 'refused');
      if (!report.connected) return { ...base, status: 'passed' };
      return {
        ...base,
        status: 'failed',
        expected: `a pod of another organization cannot connect to pod ${pod.name} (${pod.addr})`,
        seen: `connected from ${from.metadata.namespace}/${from.metadata.name}, again and again for 30 s`,
        fix: `a NetworkPolicy in ${target.namespace} lets in more than its spec allows: see network.policies-isolate, or kubectl get networkpolicies -n ${target.namespace}`,
      };
    }),
    8,
  );
}

/**
 * Starts probe pods in the probe Spaces and tries, from inside them, what
 * tenants must and must not reach: a pod of its own Space (must connect: the
 * control), another Space of its tenant and a Space of another tenant
 * (refused), the metadata address (refused), a running pod of each Space in
 * `targets` (refused: the probe organization is nobody's peer), and reads its
 * kernel (gVisor's).
 * Without a node that can run pods every live check says not-run. The probe
 * Spaces are removed afterwards, also when a check throws or `signal` aborts.
 */
export async function checkLive(
  client: KubeClient,
  spaces: ProbeSpaces,
  options: LiveOptions,
  targets: readonly LiveTarget[] = [],
): Promise<CheckResult[]> {
  const nodes = await client.list<KubeObject>('v1', 'Node', undefined, '');
  if (!nodes.some((n) => runsPods(n, options.nodeSelector)))
    return notRun(`no Ready, schedulable node${options.nodeSelector ? ' matching the node selector' : ''} can run the probe pods`);
  try {
    throwIfAborted(options.signal);
    const at = await spaces.create();
    const pods = {
      a1: probePod(at.a, 'probe-1', options),
      a2: probePod(at.a, 'probe-2', options),
      b: probePod(at.b, 'probe-1', options),
      c: probePod(at.c, 'probe-1', options),
    };
    for (const pod of Object.values(pods)) await client.create(pod);
    const ips = await readyIps(client, Object.values(pods), options);
    if (typeof ips === 'string') return notRun(ips, at.subject);
    const addr = (pod: KubeObject) => `${ips.get(podKey(pod))}:8080`;
    throwIfAborted(options.signal);
    const own = await connect(client, pods.a1, addr(pods.a2), 'connected');
    const subject = at.subject;
    const results: CheckResult[] = [];
    if (!own.connected) {
      const why = `a pod could not reach another pod of its own Space (${own.error ?? 'no answer'}), so refusals prove nothing`;
      results.push({
        id: 'network.within-space-allowed',
        category: 'live',
        subject,
        status: 'failed',
        expected: 'a pod reaches another pod of its own Space',
        seen: own.error ?? 'not connected',
        fix: 'check the node network and the spacekit-allow-same-space NetworkPolicy',
      });
      results.push(...notRun(why, subject).filter((r) => r.id.startsWith('network.') && r.id !== 'network.within-space-allowed'));
    } else {
      results.push({ id: 'network.within-space-allowed', category: 'live', subject, status: 'passed' });
      const [space, tenant, metadata] = await Promise.all([
        connect(client, pods.a1, addr(pods.b), 'refused'),
        connect(client, pods.a1, addr(pods.c), 'refused'),
        connect(client, pods.a1, METADATA_ADDRESS, 'refused'),
      ]);
      results.push(refused('network.other-space-refused', subject, "a connection to another Space of the tenant's", space));
      results.push(refused('network.other-tenant-refused', subject, "a connection to another tenant's Space", tenant));
      results.push(refused('network.metadata-refused', subject, `a connection to the metadata address ${METADATA_ADDRESS}`, metadata));
      const real = new Set(nodes.filter((n) => runsPods(n)).map((n) => n.metadata.name));
      results.push(...(await intoSpaces(client, pods.a1, targets, real)));
    }
    const kernel = await proxyGet<{ release?: string; log?: string; error?: string }>(client, pods.a1, 'kernel', {});
    const gvisor = (kernel.log ?? '').includes('gVisor');
    results.push(
      gvisor
        ? { id: 'sandbox.gvisor-inside', category: 'live', subject, status: 'passed' }
        : {
            id: 'sandbox.gvisor-inside',
            category: 'live',
            subject,
            status: 'failed',
            expected: "a sandboxed Space's pod runs on gVisor's kernel (its boot log says gVisor)",
            seen: `kernel ${kernel.release ?? 'unknown'}, log without gVisor`,
            fix: 'check the RuntimeClass gvisor and its handler runsc on the node, and the sandbox admission policies (`spacekit install`)',
          },
    );
    return results;
  } catch (err) {
    if (options.signal?.aborted) throw err;
    return notRun(`the live checks could not finish: ${serverMessage(err)}`);
  } finally {
    await spaces.remove();
  }
}
