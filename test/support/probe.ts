import { type RequestOptions, request } from 'node:https';
import { AppsV1Api, CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { PROBE_IMAGE } from '@spacekit/local-cluster';
import { eventually } from './wait.ts';

/**
 * The built-in probe image (packages/local-cluster/go/cmd/probe) on the real
 * node: pods that report, from inside, what they observe. Tests reach a probe
 * through the API server's pod proxy, as the node reaches its own pods; what
 * the probe then tries (a connection, a lookup) is the pod's own traffic.
 */

/** The pod template of a probe that serves on :8080 and passes Pod Security `restricted`. */
export function probePodSpec(): NonNullable<V1Pod['spec']> {
  return {
    automountServiceAccountToken: false,
    nodeSelector: { 'spacekit.dev/real-node': 'true' },
    securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'probe',
        image: PROBE_IMAGE,
        imagePullPolicy: 'Never',
        ports: [{ containerPort: 8080, name: 'http' }],
        readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      },
    ],
  };
}

export interface Probe {
  namespace: string;
  pod: string;
  ip: string;
}

/** Runs a probe Deployment (and a Service `probe`) in `namespace` and waits until `replicas` pods are Ready. */
export async function runProbes(kc: KubeConfig, namespace: string, replicas = 1): Promise<Probe[]> {
  const labels = { app: 'probe' };
  await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name: 'probe' },
      spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: probePodSpec() } },
    },
  });
  await kc.makeApiClient(CoreV1Api).createNamespacedService({
    namespace,
    body: { metadata: { name: 'probe' }, spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] } },
  });
  const core = kc.makeApiClient(CoreV1Api);
  return eventually(
    `${replicas} Ready probe pods in ${namespace}`,
    async () => {
      const pods = (await core.listNamespacedPod({ namespace, labelSelector: 'app=probe' })).items.filter(
        (p) => p.status?.podIP && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      );
      return pods.length >= replicas ? pods.map((p) => ({ namespace, pod: p.metadata!.name!, ip: p.status!.podIP! })) : undefined;
    },
    { timeoutMs: 120_000 },
  );
}

/** GET on the API server with the kubeconfig's credentials; the body parsed as JSON. */
export async function getJSON<T>(kc: KubeConfig, path: string): Promise<T> {
  const server = new URL(kc.getCurrentCluster()!.server);
  const options: RequestOptions = { host: server.hostname, port: server.port, path, method: 'GET' };
  await kc.applyToHTTPSOptions(options);
  return new Promise((resolve, reject) => {
    const req = request(options, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        if (res.statusCode !== 200)
          return reject(Object.assign(new Error(`GET ${path}: ${res.statusCode} ${body}`), { code: res.statusCode }));
        try {
          resolve(JSON.parse(body) as T);
        } catch {
          reject(new Error(`GET ${path}: not JSON: ${body}`));
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function proxyPath(p: Probe, path: string): string {
  return `/api/v1/namespaces/${p.namespace}/pods/${p.pod}:8080/proxy/${path}`;
}

export interface ConnectReport {
  addr: string;
  connected: boolean;
  error?: string;
}

/** Asks probe `from` to open a TCP connection to `addr` (host:port), from inside its pod. */
export function connectFrom(kc: KubeConfig, from: Probe, addr: string): Promise<ConnectReport> {
  return getJSON(kc, proxyPath(from, `connect?addr=${encodeURIComponent(addr)}&timeout=2s`));
}

/**
 * Like {@link connectFrom}, retried for a while until it connects: for paths
 * that must work but that the node programs a moment after a pod is Ready
 * (a new Service's rules, a new NetworkPolicy). Returns the last report.
 */
export async function connectEventually(kc: KubeConfig, from: Probe, addr: string, attempts = 40): Promise<ConnectReport> {
  let report = await connectFrom(kc, from, addr);
  for (let i = 1; i < attempts && !report.connected; i++) {
    await new Promise((r) => setTimeout(r, 500));
    report = await connectFrom(kc, from, addr);
  }
  return report;
}

/** Asks probe `from` to look `name` up in DNS. */
export function resolveFrom(kc: KubeConfig, from: Probe, name: string): Promise<{ addrs: string[]; error?: string }> {
  return getJSON(kc, proxyPath(from, `resolve?name=${encodeURIComponent(name)}`));
}

export interface KernelReport {
  release: string;
  version: string;
  log?: string;
  logError?: string;
}

/** The kernel as the pod sees it: uname and the start of the kernel log where readable. */
export function kernelOf(kc: KubeConfig, p: Probe): Promise<KernelReport> {
  return getJSON(kc, proxyPath(p, 'kernel'));
}

/** The cgroup limits the pod's container runs under, as it reads them. */
export function cgroupOf(kc: KubeConfig, p: Probe): Promise<{ files: Record<string, string> }> {
  return getJSON(kc, proxyPath(p, 'cgroup'));
}
