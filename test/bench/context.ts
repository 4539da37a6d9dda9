import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_SETTINGS,
  GROUP_VERSION,
  KubeClient,
  type KubeObject,
  type Organization,
  OrganizationSpecSchema,
  quotaEnforced,
  renderSpace,
  type Space,
  SpaceSpecSchema,
  type Spacekit,
  type Tenant,
  TenantSpecSchema,
  watchUntil,
} from '@spacekit/sdk';

/** What every scenario needs. */
export interface BenchContext {
  kit: Spacekit;
  /** An admin client of its own, for the floor and for watching quotas; it counts its requests too. */
  client: KubeClient;
  kubeconfigPath: string;
  kubectl: string;
  log: (message: string) => void;
  /** A scratch directory for manifests. */
  scratch: string;
}

export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), 'spacekit-bench-'));
}

/**
 * The objects `spacekit render` prints for a Space: rendered without a
 * cluster (no uids, so no owner references), as a user without Spacekit would
 * keep them in Git and apply them.
 */
export function renderedSpace(organization: string, tenant: string, name: string, resources: Record<string, string>): KubeObject[] {
  const org: Organization = {
    apiVersion: GROUP_VERSION,
    kind: 'Organization',
    metadata: { name: organization },
    spec: OrganizationSpecSchema.parse({}),
  };
  const t: Tenant = {
    apiVersion: GROUP_VERSION,
    kind: 'Tenant',
    metadata: { name: tenant, namespace: organization },
    spec: TenantSpecSchema.parse({}),
  };
  const space: Space = {
    apiVersion: GROUP_VERSION,
    kind: 'Space',
    metadata: { name, namespace: `${organization}--${tenant}` },
    spec: SpaceSpecSchema.parse({ resources }),
  };
  return renderSpace(org, t, space, DEFAULT_SETTINGS);
}

/** The same objects as one file for `kubectl apply -f`: a List, as `spacekit render -o json` prints it. */
export function manifestFile(dir: string, name: string, objects: readonly KubeObject[]): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
  return path;
}

/** Waits, with a watch, until Kubernetes enforces the quota in `namespace`; resolves at the moment it does. */
export async function quotaEnforcedIn(client: KubeClient, namespace: string, resourceVersion?: string): Promise<void> {
  await watchUntil(
    client,
    `/api/v1/namespaces/${namespace}/resourcequotas`,
    {
      fieldSelector: 'metadata.name=spacekit-quota',
      ...(resourceVersion && { resourceVersion }),
      timeoutMs: 120_000,
      what: `the quota of ${namespace}`,
    },
    quotaEnforced,
  );
}

/**
 * The floor: the rendered objects created by raw requests over a warm
 * connection, the namespace first (everything else lives in it), then all the
 * rest at once, then the wait for the quota, as for every other way.
 */
export async function createRaw(client: KubeClient, objects: readonly KubeObject[]): Promise<void> {
  const namespace = objects.find((o) => o.kind === 'Namespace');
  if (namespace) await client.create(namespace);
  const created = await Promise.all(objects.filter((o) => o !== namespace).map((o) => client.create(o)));
  const quota = created.find((o) => o.kind === 'ResourceQuota') as
    | { metadata: { namespace?: string; resourceVersion?: string } }
    | undefined;
  if (quota?.metadata.namespace) await quotaEnforcedIn(client, quota.metadata.namespace, quota.metadata.resourceVersion);
}

/** Runs a command; resolves when it exits 0, rejects with its stderr otherwise. */
export function runCommand(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { maxBuffer: 16 * 1024 * 1024 }, (err, _stdout, stderr) =>
      err ? reject(new Error(`${command} ${args.join(' ')} failed: ${stderr}`)) : resolve(),
    );
  });
}

/** Deletes namespaces and waits until they are gone, so that nothing of one scenario skews the next. */
export async function deleteNamespaces(client: KubeClient, names: readonly string[]): Promise<void> {
  await Promise.all(names.map((name) => client.delete({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })));
  for (;;) {
    const left = (await Promise.all(names.map((name) => client.read({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })))).filter(
      Boolean,
    );
    if (left.length === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

export { KubeClient };
