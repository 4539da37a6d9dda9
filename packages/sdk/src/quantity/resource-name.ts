/**
 * Resource names ResourceQuota accepts without a `/` prefix
 * (`standardQuotaResources` in k8s.io/kubernetes/pkg/apis/core/helper).
 */
const STANDARD_QUOTA_RESOURCES: ReadonlySet<string> = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.storage',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'persistentvolumeclaims',
  'configmaps',
  'services.nodeports',
  'services.loadbalancers',
]);

/**
 * Shorthands that ResourceQuota charges exactly like their `requests.` form:
 * its pod evaluator records a pod's CPU request under both `cpu` and
 * `requests.cpu`, and likewise for memory, ephemeral storage and huge pages.
 */
const REQUEST_SHORTHAND = /^(cpu|memory|ephemeral-storage|hugepages-.+)$/;

// IsQualifiedName from k8s.io/apimachinery/pkg/util/validation.
const QUALIFIED_NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Valid names to show next to a rejected one. */
export const RESOURCE_NAME_EXAMPLES =
  'cpu, requests.memory, limits.cpu, pods, services.nodeports, count/deployments.apps or requests.nvidia.com/gpu';

/**
 * Maps ResourceQuota's shorthand names onto the key Spacekit stores them under:
 * `cpu` → `requests.cpu`, `memory` → `requests.memory`, and the same for
 * `ephemeral-storage` and `hugepages-<size>`. Other names are returned unchanged.
 *
 * ResourceQuota's `cpu` already means `requests.cpu`, so two budgets written
 * with different spellings would otherwise be summed and compared as different
 * resources: a child's `cpu: 2` would never count against a parent's
 * `requests.cpu: 1`. One key per resource makes sums compare like with like.
 */
export function normalizeResourceName(name: string): string {
  return REQUEST_SHORTHAND.test(name) ? `requests.${name}` : name;
}

/**
 * Explains why `name` cannot be a ResourceQuota resource name, or returns `undefined` when it can.
 *
 * Mirrors the apiserver's `ValidateResourceQuotaResourceName`: a qualified name
 * (`prefix/name`, such as `count/deployments.apps` or `requests.nvidia.com/gpu`),
 * or one of the standard unprefixed names. Checking the standard list catches
 * typos like `cpus` before the apiserver rejects the ResourceQuota.
 */
export function resourceNameProblem(name: string): string | undefined {
  const slash = name.lastIndexOf('/');
  if (slash === -1) {
    if (STANDARD_QUOTA_RESOURCES.has(name) || /^(requests\.)?hugepages-/.test(name)) {
      return qualifiedNamePartProblem(name);
    }
    return `${JSON.stringify(name)} is not a resource ResourceQuota understands: use ${RESOURCE_NAME_EXAMPLES}`;
  }
  const prefix = name.slice(0, slash);
  const local = name.slice(slash + 1);
  if (prefix.includes('/') || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)) {
    return (
      `${JSON.stringify(name)} is not a valid resource name: ` +
      `the part before "/" must be a lowercase DNS subdomain, as in ${RESOURCE_NAME_EXAMPLES}`
    );
  }
  return qualifiedNamePartProblem(name, local);
}

/** Which names {@link resourceTitle} drops `requests.` from. */
export type TitleStyle = 'shorthand' | 'unprefixed';

/**
 * A resource's name as a column title, upper-cased and without `requests.` where it can go:
 * `requests.cpu` → `CPU`, `limits.memory` → `LIMITS.MEMORY`, `requests.nvidia.com/gpu` as it is.
 *
 * With `shorthand` (the CLI tree) `requests.` goes only where ResourceQuota accepts the
 * shorthand (cpu, memory, ephemeral-storage, hugepages), so `requests.storage` stays
 * `REQUESTS.STORAGE`; with `unprefixed` (the meter report) it goes from every name without a
 * domain prefix, so `requests.storage` is `STORAGE`. Each keeps the titles it has always printed.
 */
export function resourceTitle(resource: string, style: TitleStyle = 'shorthand'): string {
  const short = resource.replace(/^requests\./, '');
  const drop = style === 'shorthand' ? normalizeResourceName(short) === resource : !resource.includes('/');
  return (drop ? short : resource).toUpperCase();
}

function qualifiedNamePartProblem(name: string, local: string = name): string | undefined {
  if (local.length > 63 || !QUALIFIED_NAME_PART.test(local)) {
    return (
      `${JSON.stringify(name)} is not a valid resource name: the name must be at most 63 letters, digits, ` +
      `"-", "_" or ".", starting and ending with a letter or digit, as in ${RESOURCE_NAME_EXAMPLES}`
    );
  }
  return undefined;
}
