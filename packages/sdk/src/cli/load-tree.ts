import type { Organization } from '../model/index.ts';
import type { Spacekit } from '../spacekit.ts';
import type { Ref } from './define.ts';
import { organizationNode, spaceNode, tenantNode, type TreeNode } from './tree.ts';

/** Reads what `get` shows: every organization, or the one object named, with everything below it. */
export async function loadTree(kit: Spacekit, ref?: Ref): Promise<TreeNode[]> {
  if (!ref) {
    const orgs = (await kit.organizations.list()).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    return Promise.all(orgs.map((org) => loadOrganization(kit, org)));
  }
  if (ref.level === 'organization') return [await loadOrganization(kit, await kit.organizations.get(ref.organization))];
  if (ref.level === 'tenant') {
    const [tenant, spaces] = await Promise.all([
      kit.tenants.get({ organization: ref.organization, name: ref.tenant }),
      kit.spaces.list({ organization: ref.organization, tenant: ref.tenant }),
    ]);
    return [tenantNode(tenant, spaces)];
  }
  return [spaceNode(await kit.spaces.get({ organization: ref.organization, tenant: ref.tenant, name: ref.space }))];
}

async function loadOrganization(kit: Spacekit, org: Organization): Promise<TreeNode> {
  const organization = org.metadata.name;
  const [tenants, spaces] = await Promise.all([kit.tenants.list({ organization }), kit.spaces.list({ organization })]);
  return organizationNode(org, tenants, spaces);
}
