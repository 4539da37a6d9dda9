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
import { checkAccess } from './access.ts';
import { checkBudgets } from './budgets.ts';
import { checkNames } from './names.ts';
import { checkObjects } from './objects.ts';
import { type CheckResult, summarise, type VerifyReport } from './report.ts';

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

async function spaceObjects(ctx: EngineContext, levels: Awaited<ReturnType<typeof levelsIn>>): Promise<CheckResult[]> {
  const orgs = new Map(levels.organizations.map((o) => [o.metadata.name, o]));
  const tenants = new Map(levels.tenants.map((t) => [`${t.metadata.namespace}/${t.metadata.name}`, t]));
  const results = await Promise.all(
    levels.spaces.map(async (space): Promise<CheckResult[]> => {
      const at = parseNamespace(space.metadata.namespace ?? '');
      const o = at?.organization ?? '';
      const t = at?.tenant ?? '';
      const s = space.metadata.name;
      const level = `space ${o}/${t}/${s}`;
      const org = orgs.get(o);
      const tenant = tenants.get(`${o}/${t}`);
      const desired = org && tenant && space.status?.phase === 'Ready' ? desiredOf(space, org, tenant, ctx) : undefined;
      if (!desired) {
        const why = `it is ${space.status?.phase ?? 'not provisioned yet'}, so it has no objects to compare`;
        return [{ id: 'objects.as-rendered', category: 'objects', subject: level, status: 'not-run', expected: why }];
      }
      const owner: Owner = { level: 'space', organization: o, tenant: t, space: s };
      return checkObjects(level, desired, await liveOf(ctx, owner, spaceNamespace(o, t, s)));
    }),
  );
  return results.flat();
}

/**
 * Checks that the cluster keeps tenants apart and within their budgets, and
 * changes nothing: it reads, and asks the API server who may do what
 * (SubjectAccessReviews). Needs a cluster admin's rights to read everything.
 */
export async function verifyCluster(ctx: EngineContext, scope: VerifyScope = {}): Promise<VerifyReport> {
  const levels = await levelsIn(ctx, scope);
  const quotas = (await ctx.client.list<KubeObject>('v1', 'ResourceQuota', undefined, `${LABELS.level}=space`)).filter(
    (q) => q.metadata.name === OBJECT_NAMES.quota,
  );
  const inScope = new Set(levels.tenants.map((t) => tenantNamespace(t.metadata.namespace ?? '', t.metadata.name)));
  const spaceQuotas = quotas.filter((q) => {
    const at = parseNamespace(q.metadata.namespace ?? '');
    return at?.tenant !== undefined && inScope.has(tenantNamespace(at.organization, at.tenant));
  });
  const [objects, access] = await Promise.all([spaceObjects(ctx, levels), checkAccess(ctx.client, levels)]);
  return summarise([
    ...checkNames(ctx.settings, levels),
    ...checkBudgets(scope.tenant === undefined ? levels.organizations : [], levels.tenants, spaceQuotas),
    ...objects,
    ...access,
  ]);
}
