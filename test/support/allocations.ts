// What a parent's budget counts for each child, read the way ADR 0015 keeps it: in the children.
import type { Spacekit } from '@spacekit/sdk';

type Lists = Record<string, Record<string, string | number>>;

/**
 * Each child's recorded allocation, by name: the Spaces of a tenant, or the Tenants of an organization
 * when `tenant` is left out. A child that holds nothing (refused, or never granted) is left out.
 */
export async function allocationsOf(kit: Spacekit, parent: { organization: string; tenant?: string }): Promise<Lists> {
  const children =
    parent.tenant === undefined
      ? await kit.tenants.list({ organization: parent.organization })
      : await kit.spaces.list({ organization: parent.organization, tenant: parent.tenant });
  const out: Lists = {};
  for (const child of children) {
    const allocation = child.status?.allocation;
    if (allocation && Object.keys(allocation).length > 0) out[child.metadata.name] = allocation;
  }
  return out;
}
