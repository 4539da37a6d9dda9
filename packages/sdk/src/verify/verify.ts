import { objectKey } from '../apply/index.ts';
import type { EngineContext } from '../engine/index.ts';
import {
  LABELS,
  type Organization,
  parseNamespace,
  type Space,
  SpaceSpecSchema,
  spaceNamespace,
  type Tenant,
  tenantNamespace,
} from '../model/index.ts';
import { canonicalResources } from '../quantity/index.ts';
import { type KubeObject, levelScans, OBJECT_NAMES, type Owner, renderSpace } from '../render/index.ts';
import { INSTALL_LABEL_SELECTOR, renderInstall } from '../install/index.ts';
import { checkAccess, membersOf } from './access.ts';
import { checkBudgets } from './budgets.ts';
import { checkNames } from './names.ts';
import { checkInstall, checkLeftovers, checkPoliciesBound } from './install.ts';
import { checkLive, type LiveOptions, notRun as notRunLive, type ProbeSpaces } from './live.ts';
import { checkNetworkPolicies } from './network.ts';
import { checkObjects } from './objects.ts';
import { checkPods, type PodTarget } from './pods.ts';
import { checkProtected } from './protected.ts';
import { type CheckResult, summarise, type VerifyReport } from './report.ts';
import { checkStorage } from './storage.ts';

/** Cluster-scoped kinds an organization labels (its namespaces, its reader role and binding), which must go with it. */
const LEFTOVER_KINDS = [
  { apiVersion: 'v1', kind: 'Namespace' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding' },
] as const;

/** Where a verify run looks: the whole cluster, or one organization, tenant or Space and what is under it. */
export interface VerifyScope {
  organization?: string;
  tenant?: string;
  space?: string;
}

/** The organizations, tenants and Spaces in `scope`. */
async function levelsIn(ctx: EngineContext, scope: VerifyScope) {
  const [organizations, tenants, spaces] = await Promise.all([ctx.organizations.list(), ctx.tenants.list(), ctx.spaces.list()]);
  const inOrg = (o: string) => scope.organization === undefined || o === scope.organization;
  const inTenant = (t: string) => scope.tenant === undefined || t === scope.tenant;
  const spaceAt = (s: Space) => parseNamespace(s.metadata.namespace ?? '');
  return {
    organizations: organizations.filter((o) => inOrg(o.metadata.name)),
    tenants: tenants.filter((t) => inOrg(t.metadata.namespace ?? '') && inTenant(t.metadata.name)),
    spaces: spaces.filter((s) => {
      const at = spaceAt(s);
      return (
        at !== undefined &&
        inOrg(at.organization) &&
        inTenant(at.tenant ?? '') &&
        (scope.space === undefined || s.metadata.name === scope.space)
      );
    }),
  };
}

/** What a Space's objects should be: rendered from its recorded allocation, as its reconcile renders them. */
function desiredOf(space: Space, org: Organization, tenant: Tenant, ctx: EngineContext): KubeObject[] | undefined {
  const parsed = SpaceSpecSchema.safeParse(space.spec);
  if (!parsed.success || !space.status?.allocation) return undefined;
  const granted = { ...space, spec: { ...parsed.data, resources: canonicalResources(space.status.allocation) } };
  return renderSpace(org, tenant, granted, ctx.settings);
}

/** The live objects of a level, keyed as apply keys them: its namespace and everything with its labels. */
async function liveOf(ctx: EngineContext, owner: Owner, namespace: string): Promise<Map<string, KubeObject>> {
  const live = new Map<string, KubeObject>();
  const ns = await ctx.reader.namespace(namespace);
  if (ns) live.set(objectKey(ns), ns);
  const reads = levelScans(owner).flatMap((scan) => scan.kinds.map((kind) => ctx.reader.owned(kind, scan.namespace, owner)));
  for (const item of (await Promise.all(reads)).flat()) live.set(objectKey(item), item);
  return live;
}

/** A Space in scope, with what its objects should be when it is Ready. */
interface SpaceTarget {
  o: string;
  t: string;
  s: string;
  space: Space;
  subject: string;
  namespace: string;
  desired: KubeObject[] | undefined;
}

function spaceTargets(ctx: EngineContext, levels: Awaited<ReturnType<typeof levelsIn>>): SpaceTarget[] {
  const orgs = new Map(levels.organizations.map((o) => [o.metadata.name, o]));
  const tenants = new Map(levels.tenants.map((t) => [`${t.metadata.namespace}/${t.metadata.name}`, t]));
  return levels.spaces.map((space) => {
    const at = parseNamespace(space.metadata.namespace ?? '');
    const o = at?.organization ?? '';
    const t = at?.tenant ?? '';
    const s = space.metadata.name;
    const org = orgs.get(o);
    const tenant = tenants.get(`${o}/${t}`);
    const desired = org && tenant && space.status?.phase === 'Ready' ? desiredOf(space, org, tenant, ctx) : undefined;
    return { o, t, s, space, subject: `space ${o}/${t}/${s}`, namespace: spaceNamespace(o, t, s), desired };
  });
}

async function spaceObjects(ctx: EngineContext, targets: readonly SpaceTarget[]): Promise<CheckResult[]> {
  const results = await Promise.all(
    targets.map(async ({ o, t, s, space, subject, namespace, desired }): Promise<CheckResult[]> => {
      if (!desired) {
        const why = `it is ${space.status?.phase ?? 'not provisioned yet'}, so it has no objects to compare`;
        return [{ id: 'objects.as-rendered', category: 'objects', subject, status: 'not-run', expected: why }];
      }
      const owner: Owner = { level: 'space', organization: o, tenant: t, space: s };
      return checkObjects(subject, desired, await liveOf(ctx, owner, namespace));
    }),
  );
  return results.flat();
}

/** The Spaces that can be probed (Ready), as the pod checks see them. */
function podTargets(targets: readonly SpaceTarget[]): PodTarget[] {
  return targets.flatMap(({ space, subject, namespace, desired }) => {
    const spec = SpaceSpecSchema.safeParse(space.spec);
    if (!desired || !spec.success) return [];
    const quota = desired.find((d) => d.kind === 'ResourceQuota');
    const nodePorts = Number((quota?.spec as { hard?: Record<string, string> } | undefined)?.hard?.['services.nodeports'] ?? 0);
    return [{ subject, namespace, podSecurity: spec.data.podSecurity, sandboxed: spec.data.sandbox === 'gvisor', nodePorts }];
  });
}

/** Install objects, Spacekit's admission policies and their bindings, and what deleted organizations left. */
async function installChecks(ctx: EngineContext, scope: VerifyScope): Promise<CheckResult[]> {
  const desired = renderInstall(ctx.settings) as unknown as KubeObject[];
  const live = new Map<string, KubeObject>();
  for (const found of await Promise.all(desired.map((d) => ctx.client.read<KubeObject>(d)))) if (found) live.set(objectKey(found), found);
  const admission = 'admissionregistration.k8s.io/v1';
  const [mutating, validating, mutatingBindings, validatingBindings, organizations, ...labelled] = await Promise.all([
    ctx.client.list<KubeObject>(admission, 'MutatingAdmissionPolicy', undefined, INSTALL_LABEL_SELECTOR),
    ctx.client.list<KubeObject>(admission, 'ValidatingAdmissionPolicy', undefined, INSTALL_LABEL_SELECTOR),
    ctx.client.list<KubeObject>(admission, 'MutatingAdmissionPolicyBinding', undefined, ''),
    ctx.client.list<KubeObject>(admission, 'ValidatingAdmissionPolicyBinding', undefined, ''),
    ctx.organizations.list(),
    ...LEFTOVER_KINDS.map((k) => ctx.client.list<KubeObject>(k.apiVersion, k.kind, undefined, LABELS.organization)),
  ]);
  const existing = new Set(organizations.map((o) => o.metadata.name));
  const inScope = labelled
    .flat()
    .filter((x) => scope.organization === undefined || x.metadata.labels?.[LABELS.organization] === scope.organization);
  return [
    ...checkInstall(desired, live),
    ...checkPoliciesBound([...mutating, ...validating], [...mutatingBindings, ...validatingBindings]),
    ...checkLeftovers(existing, inScope),
  ];
}

/** The storage checks of the Ready Spaces, against their live quotas and the cluster's classes and volumes. */
async function storageChecks(ctx: EngineContext, targets: readonly SpaceTarget[], quotas: readonly KubeObject[]): Promise<CheckResult[]> {
  const hardOf = new Map(quotas.map((q) => [q.metadata.namespace, (q.spec as { hard?: Record<string, string> } | undefined)?.hard]));
  const [classes, volumes] = await Promise.all([
    ctx.client.list<KubeObject>('storage.k8s.io/v1', 'StorageClass', undefined, ''),
    ctx.client.list<KubeObject>('v1', 'PersistentVolume', undefined, ''),
  ]);
  const ready = targets.filter((x) => x.desired !== undefined);
  return checkStorage(
    ctx.client,
    ready.map(({ subject, namespace }) => ({ subject, namespace, hard: hardOf.get(namespace) })),
    { classes, volumes },
  );
}

/** The NetworkPolicy check of the Ready Spaces, against every namespace's labels. */
async function networkChecks(ctx: EngineContext, targets: readonly SpaceTarget[]): Promise<CheckResult[]> {
  const [policies, namespaces] = await Promise.all([
    ctx.client.list<KubeObject>('networking.k8s.io/v1', 'NetworkPolicy', undefined, ''),
    ctx.client.list<KubeObject>('v1', 'Namespace', undefined, ''),
  ]);
  const labels = new Map(namespaces.map((n) => [n.metadata.name ?? '', n.metadata.labels ?? {}]));
  return checkNetworkPolicies(
    targets.flatMap(({ subject, namespace, desired }) =>
      desired ? [{ subject, namespace, rendered: desired.filter((d) => d.kind === 'NetworkPolicy') }] : [],
    ),
    policies,
    labels,
  );
}

/** The one other RuntimeClass a probe pod asks for, if any exists. */
async function otherRuntimeClass(ctx: EngineContext): Promise<string | undefined> {
  const classes = await ctx.client.list<KubeObject>('node.k8s.io/v1', 'RuntimeClass', undefined, '');
  return classes.map((c) => c.metadata.name).find((n) => n !== undefined && n !== ctx.settings.runtimeClass.name);
}

/** MTB-PL1-CC-DI-1: Spacekit has no setting that makes pods pull always, so this is said, never passed. */
const IMAGE_PULL: CheckResult = {
  id: 'pods.image-pull-always',
  category: 'admission',
  mtb: 'MTB-PL1-CC-DI-1',
  subject: 'cluster',
  status: 'not-run',
  expected:
    'Spacekit does not require imagePullPolicy: Always, so a tenant may run an image another tenant pulled to the node without its credentials',
};

/**
 * Checks that the cluster keeps tenants apart and within their budgets, and
 * changes nothing: it reads, and asks the API server who may do what
 * (SubjectAccessReviews). Needs a cluster admin's rights to read everything.
 */
export async function verifyCluster(
  ctx: EngineContext,
  scope: VerifyScope = {},
  live?: { options: LiveOptions; spaces: ProbeSpaces },
): Promise<VerifyReport> {
  const levels = await levelsIn(ctx, scope);
  const quotas = (await ctx.client.list<KubeObject>('v1', 'ResourceQuota', undefined, `${LABELS.level}=space`)).filter(
    (q) => q.metadata.name === OBJECT_NAMES.quota,
  );
  const inScope = new Set(levels.tenants.map((t) => tenantNamespace(t.metadata.namespace ?? '', t.metadata.name)));
  const spaceQuotas = quotas.filter((q) => {
    const at = parseNamespace(q.metadata.namespace ?? '');
    return at?.tenant !== undefined && inScope.has(tenantNamespace(at.organization, at.tenant));
  });
  const targets = spaceTargets(ctx, levels);
  const protectedTargets = targets.filter((x) => x.desired !== undefined);
  const [objects, install, pods, access, protections, storage, network] = await Promise.all([
    spaceObjects(ctx, targets),
    installChecks(ctx, scope),
    otherRuntimeClass(ctx).then((otherClass) =>
      checkPods(ctx.client, podTargets(targets), { sandboxClass: ctx.settings.runtimeClass.name, otherClass }),
    ),
    checkAccess(ctx.client, levels),
    checkProtected(ctx.client, membersOf(levels), protectedTargets),
    storageChecks(ctx, targets, spaceQuotas),
    networkChecks(ctx, targets),
  ]);
  return summarise([
    ...checkNames(ctx.settings, levels),
    ...checkBudgets(scope.tenant === undefined ? levels.organizations : [], levels.tenants, spaceQuotas),
    ...objects,
    ...install,
    ...pods,
    IMAGE_PULL,
    ...access,
    ...protections.filter((r) => r.category === 'access'),
    ...storage,
    ...protections.filter((r) => r.category === 'storage'),
    ...network,
    ...(live
      ? await checkLive(ctx.client, live.spaces, live.options, protectedTargets)
      : notRunLive('no probe image was given (--probe-image, or live.image in kit.verify), so no pod tried a connection')),
  ]);
}
