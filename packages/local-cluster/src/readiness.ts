import { setTimeout as sleep } from 'node:timers/promises';
import { AppsV1Api, CoreV1Api, Health, type KubeConfig, RbacAuthorizationV1Api, type V1Node, VersionApi } from '@kubernetes/client-node';
import { LocalClusterError } from './errors.ts';

/** One thing that must hold before the control plane is usable. */
export interface ReadinessCheck {
  name: string;
  /** Resolves true when the condition holds; may throw while it does not. */
  probe: () => Promise<boolean>;
}

/**
 * What "ready" means for Spacekit: the apiserver answers /readyz, the
 * controllers that Spacekit relies on have acted (service accounts, the root
 * CA config map), and the built-in roles are aggregated, so `admin`, `edit`
 * and `view` grant what they should.
 */
export function controlPlaneChecks(kc: KubeConfig, expect: { kwokNodes?: number; realNodes?: readonly string[] } = {}): ReadinessCheck[] {
  const health = new Health(kc);
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  const kwokNodes = expect.kwokNodes ?? 0;
  const realNodes = expect.realNodes ?? [];
  const isReady = (n: V1Node) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  return [
    { name: 'kube-apiserver /readyz', probe: () => health.readyz({}) },
    ...(kwokNodes > 0
      ? [
          {
            name: `kwok (${kwokNodes} simulated node${kwokNodes === 1 ? '' : 's'} Ready)`,
            probe: async () => {
              const list = await core.listNode({ labelSelector: 'spacekit.dev/kwok-node=true' });
              return list.items.filter(isReady).length >= kwokNodes;
            },
          },
        ]
      : []),
    ...realNodes.map((name) => ({
      name: `kubelet (node ${name} Ready)`,
      probe: async () => isReady(await core.readNode({ name })),
    })),
    ...(realNodes.length > 0
      ? [
          {
            name: 'cluster DNS (kube-system/coredns available)',
            probe: async () =>
              ((await apps.readNamespacedDeployment({ name: 'coredns', namespace: 'kube-system' })).status?.availableReplicas ?? 0) > 0,
          },
        ]
      : []),
    {
      name: 'serviceaccount controller (default/default ServiceAccount)',
      probe: async () => Boolean(await core.readNamespacedServiceAccount({ name: 'default', namespace: 'default' })),
    },
    {
      name: 'root-ca-cert-publisher (default/kube-root-ca.crt ConfigMap)',
      probe: async () => Boolean(await core.readNamespacedConfigMap({ name: 'kube-root-ca.crt', namespace: 'default' })),
    },
    ...['admin', 'edit', 'view'].map((role) => ({
      name: `clusterrole-aggregation controller (ClusterRole ${role} has rules)`,
      probe: async () => ((await rbac.readClusterRole({ name: role })).rules ?? []).length > 0,
    })),
  ];
}

/** Options for {@link waitForControlPlane}. */
export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  signal?: AbortSignal;
  /** Appended to the timeout error, typically a log tail. */
  diagnostics?: () => Promise<string>;
  /** Also wait for this many kwok simulated nodes to be Ready. */
  kwokNodes?: number;
  /** Also wait for these real nodes, and cluster DNS on them, to be Ready. */
  realNodes?: readonly string[];
}

/**
 * Waits until every {@link controlPlaneChecks} check passes and returns the
 * server's version. On timeout it throws a {@link LocalClusterError} naming
 * the checks that still fail and why.
 */
export async function waitForControlPlane(kc: KubeConfig, options: WaitOptions = {}): Promise<{ version: string }> {
  const { timeoutMs = 120_000, intervalMs = 250 } = options;
  const deadline = Date.now() + timeoutMs;
  const pending = new Map(
    controlPlaneChecks(kc, { kwokNodes: options.kwokNodes ?? 0, realNodes: options.realNodes ?? [] }).map((c) => [c.name, c]),
  );
  const lastFailure = new Map<string, string>();
  while (pending.size > 0) {
    options.signal?.throwIfAborted();
    await Promise.all(
      [...pending.values()].map(async (check) => {
        try {
          if (await check.probe()) pending.delete(check.name);
          else lastFailure.set(check.name, 'not yet');
        } catch (err) {
          lastFailure.set(check.name, describe(err));
        }
      }),
    );
    if (pending.size === 0) break;
    if (Date.now() >= deadline) {
      const failing = [...pending.keys()].map((n) => `  - ${n}: ${lastFailure.get(n) ?? 'not yet'}`).join('\n');
      throw new LocalClusterError(
        'NOT_READY',
        `the control plane at ${kc.getCurrentCluster()?.server} was not ready after ${timeoutMs / 1000}s; still failing:\n${failing}`,
        (await options.diagnostics?.()) ?? '',
      );
    }
    // An aborted sleep rejects with a generic AbortError; rethrow the caller's reason instead.
    await sleep(intervalMs, undefined, options.signal ? { signal: options.signal } : {}).catch(() => options.signal?.throwIfAborted());
  }
  const info = await kc.makeApiClient(VersionApi).getCode();
  return { version: info.gitVersion };
}

function describe(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'number') {
    return `HTTP ${(err as { code: number }).code}`;
  }
  const e = err as Error;
  const cause = (e?.cause as Error | undefined)?.message;
  return cause ? `${e.message}: ${cause}` : String(e?.message ?? err);
}
