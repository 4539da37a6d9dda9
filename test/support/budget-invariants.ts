import { CoreV1Api, CustomObjectsApi, type KubeConfig, type V1ResourceQuota } from '@kubernetes/client-node';
import {
  API_GROUP,
  API_VERSION,
  formatForResource,
  LABELS,
  type Organization,
  organizationNamespace,
  parseResourceList,
  type Quantity,
  type Space,
  type Tenant,
} from '@spacekit/sdk';

// Nested budgets checked from what the cluster enforces, not from how Spacekit records it:
// a Space holds the `hard` of the ResourceQuota Spacekit renders in its namespace, a Tenant holds what its
// organization granted it (status.usage.hard), and a parent's recorded total is its status.usage.allocated.

type Amounts = Map<string, Quantity>;

/** Everything of one organization that bears on its budgets, read at one resourceVersion. */
export interface BudgetSnapshot {
  resourceVersion: string;
  organization: Organization | undefined;
  tenants: Tenant[];
  spaces: Space[];
  /** The Spaces' ResourceQuotas (`spacekit-quota`), in namespaces that exist, terminating ones included. */
  quotas: V1ResourceQuota[];
}

/**
 * Reads the organization, its Tenants, Spaces and Space quotas as of one
 * resourceVersion: the quotas are listed first, and the rest is listed at
 * exactly their resourceVersion (`resourceVersionMatch=Exact`), so that the
 * snapshot is one moment of the cluster, never a mix of moments.
 */
export async function budgetSnapshot(kc: KubeConfig, org: string): Promise<BudgetSnapshot> {
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const quotaList = await core.listResourceQuotaForAllNamespaces({
    labelSelector: `${LABELS.organization}=${org},${LABELS.level}=space`,
  });
  const resourceVersion = quotaList.metadata?.resourceVersion ?? '';
  const at = { group: API_GROUP, version: API_VERSION, resourceVersion, resourceVersionMatch: 'Exact' };
  const [orgs, tenants, spaces] = (await Promise.all([
    custom.listClusterCustomObject({ ...at, plural: 'organizations', fieldSelector: `metadata.name=${org}` }),
    custom.listNamespacedCustomObject({ ...at, plural: 'tenants', namespace: organizationNamespace(org) }),
    custom.listClusterCustomObject({ ...at, plural: 'spaces', labelSelector: `${LABELS.organization}=${org}` }),
  ])) as [{ items: Organization[] }, { items: Tenant[] }, { items: Space[] }];
  return {
    resourceVersion,
    organization: orgs.items[0],
    tenants: tenants.items,
    spaces: spaces.items,
    quotas: quotaList.items.filter((q) => q.metadata?.name === 'spacekit-quota'),
  };
}

function amounts(list: Readonly<Record<string, string | number>> | undefined): Amounts {
  return parseResourceList(list ?? {});
}

function add(total: Amounts, list: Amounts): void {
  for (const [name, q] of list) total.set(name, (total.get(name) ?? 0n) + q);
}

/** One child's holding, named so that a violation can say who holds what. */
interface Holding {
  who: string;
  amounts: Amounts;
}

/**
 * What each Space holds, by tenant: the granted `spec.hard` of its quota (what Spacekit rendered from the
 * grant; the quota controller copies it to `status.hard`, which admission enforces), named by its Space and
 * the state of that Space in the same snapshot (deleting, or gone while its namespace still holds a quota).
 */
function spaceHoldings(snapshot: BudgetSnapshot): Map<string, Holding[]> {
  const spaces = new Map(snapshot.spaces.map((s) => [`${s.metadata.labels?.[LABELS.tenant]}/${s.metadata.name}`, s]));
  const byTenant = new Map<string, Holding[]>();
  for (const quota of snapshot.quotas) {
    const labels = quota.metadata?.labels ?? {};
    const tenant = labels[LABELS.tenant] ?? '';
    const space = spaces.get(`${tenant}/${labels[LABELS.space]}`);
    const state = !space ? ' (no Space)' : space.metadata.deletionTimestamp ? ' (deleting)' : '';
    const who = `${labels[LABELS.space] ?? quota.metadata?.namespace}${state}`;
    byTenant.set(tenant, [...(byTenant.get(tenant) ?? []), { who, amounts: amounts(quota.spec?.hard) }]);
  }
  return byTenant;
}

/** Per resource of `budget`, every child summed; the resources whose sum is above the budget, spelled out with their holders. */
function overruns(what: string, budget: Amounts, children: readonly Holding[]): string[] {
  const total: Amounts = new Map();
  for (const child of children) add(total, child.amounts);
  return [...budget]
    .filter(([name, limit]) => (total.get(name) ?? 0n) > limit)
    .map(([name, limit]) => {
      const holders = children
        .filter((c) => (c.amounts.get(name) ?? 0n) > 0n)
        .map((c) => `${c.who} ${formatForResource(name, c.amounts.get(name) ?? 0n)}`);
      return `${what}: ${name} held ${formatForResource(name, total.get(name) ?? 0n)}, budget ${formatForResource(name, limit)} (${holders.join(', ')})`;
    });
}

/**
 * Every parent whose existing children together hold more than its budget,
 * per resource, exactly: the organization's tenants against its spec, each
 * tenant's Spaces (deleting ones too, while their namespace holds a quota)
 * against what the organization granted the tenant. Empty when none.
 */
export function budgetViolations(snapshot: BudgetSnapshot): string[] {
  const out: string[] = [];
  const org = snapshot.organization;
  if (org) {
    out.push(
      ...overruns(
        `organization ${org.metadata.name}`,
        amounts(org.spec.resources),
        snapshot.tenants.map((t) => ({
          who: `${t.metadata.name}${t.metadata.deletionTimestamp ? ' (deleting)' : ''}`,
          amounts: amounts(t.status?.usage?.hard),
        })),
      ),
    );
  }
  const tenants = new Map(snapshot.tenants.map((t) => [t.metadata.name, t]));
  for (const [name, spaces] of spaceHoldings(snapshot)) {
    const tenant = tenants.get(name);
    // A quota outlives its tenant only while the namespaces go; it must hold nothing then.
    out.push(
      ...overruns(
        `tenant ${name}${tenant ? '' : ' (gone)'}`,
        amounts(tenant?.status?.usage?.hard ?? quotaNames(spaces.map((h) => h.amounts))),
        spaces,
      ),
    );
  }
  return out;
}

/** A zero budget for every resource the holdings name. */
function quotaNames(spaces: readonly Amounts[]): Record<string, string> {
  return Object.fromEntries(spaces.flatMap((s) => [...s.keys()]).map((n) => [n, '0']));
}

/**
 * Where a parent's recorded total (status.usage.allocated) differs from
 * what its existing children hold, per resource its budget names: the
 * organization against its tenants' grants, each tenant against its
 * Spaces' quotas. Meaningful once nothing is changing. Empty when all agree.
 */
export function totalMismatches(snapshot: BudgetSnapshot): string[] {
  const out: string[] = [];
  const compare = (what: string, budget: Amounts, recorded: Amounts, children: readonly Amounts[]) => {
    const held: Amounts = new Map();
    for (const child of children) add(held, child);
    for (const name of budget.keys()) {
      const [r, h] = [recorded.get(name) ?? 0n, held.get(name) ?? 0n];
      if (r !== h) out.push(`${what}: ${name} recorded ${formatForResource(name, r)}, children hold ${formatForResource(name, h)}`);
    }
  };
  const org = snapshot.organization;
  if (org) {
    compare(
      `organization ${org.metadata.name}`,
      amounts(org.spec.resources),
      amounts(org.status?.usage?.allocated),
      snapshot.tenants.map((t) => amounts(t.status?.usage?.hard)),
    );
  }
  const holdings = spaceHoldings(snapshot);
  for (const tenant of snapshot.tenants) {
    const name = tenant.metadata.name;
    compare(
      `tenant ${name}`,
      amounts(tenant.spec.resources),
      amounts(tenant.status?.usage?.allocated),
      (holdings.get(name) ?? []).map((h) => h.amounts),
    );
  }
  return out;
}

/**
 * Takes snapshots one after another until stopped, and collects every
 * {@link budgetViolations} they show, so that a test can check the budgets
 * throughout what it does, not only at the end.
 */
export function monitorBudgets(kc: KubeConfig, org: string): { stop(): Promise<{ snapshots: number; violations: string[] }> } {
  let running = true;
  let snapshots = 0;
  const violations: string[] = [];
  const loop = (async () => {
    while (running) {
      const snapshot = await budgetSnapshot(kc, org);
      snapshots++;
      for (const v of budgetViolations(snapshot)) violations.push(`at resourceVersion ${snapshot.resourceVersion}: ${v}`);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { snapshots, violations };
    },
  };
}
