// Provision an organization, a tenant and two Spaces from code, then print
// what was made: every level's namespace, budget and allocation.
//
//   node packages/examples/src/provision.ts [ORGANIZATION] [--label KEY=VALUE]...
//
// Needs cluster-admin rights (it also installs Spacekit, which is idempotent).
// Delete it all again with: pnpm spacekit delete org ORGANIZATION
import { parseArgs } from 'node:util';
import { humanQuantity, parseResourceList, type TreeNode } from '@spacekit/sdk';
import { connectFromEnv, labelsFrom, main } from './cluster.ts';

/** `cpu 1.5/4, memory 3Gi/8Gi`: what a node holds of its budget. */
function budgetLine(node: TreeNode): string {
  const budget = parseResourceList(node.budget);
  const allocated = parseResourceList(node.allocated ?? {});
  // A Space's quota also caps NodePorts, LoadBalancers and (unless granted) storage at 0: a resource not granted is noise here.
  return [...budget]
    .filter(([resource, limit]) => resource.startsWith('requests.') && limit > 0n)
    .map(([resource, limit]) => {
      const short = resource.replace(/^requests\./, '');
      const held = node.allocated ? `${humanQuantity(resource, allocated.get(resource) ?? 0n)}/` : '';
      return `${short} ${held}${humanQuantity(resource, limit)}`;
    })
    .join(', ');
}

function print(node: TreeNode, depth = 0): void {
  const what = node.kind.toLowerCase();
  const role = node.kind === 'Space' ? 'quota' : 'allocated/budget';
  process.stdout.write(
    `${'  '.repeat(depth)}${what} ${node.name}  ${node.phase}  namespace ${node.namespace ?? '-'}  ${role}: ${budgetLine(node)}\n`,
  );
  for (const child of node.children) print(child, depth + 1);
}

await main(async () => {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { label: { type: 'string', multiple: true } } });
  const organization = positionals[0] ?? 'demo-org';
  const kit = await connectFromEnv();
  await kit.install();

  await kit.organizations.create({
    name: organization,
    labels: labelsFrom(values.label),
    resources: { cpu: 8, memory: '16Gi' },
    members: [{ kind: 'User', name: 'olga@example.com', role: 'admin' }],
  });
  await kit.tenants.create({
    organization,
    name: 'payments',
    resources: { cpu: 4, memory: '8Gi' },
    members: [{ kind: 'User', name: 'tina@example.com', role: 'admin' }],
  });
  // Each create resolves once the Space is Ready: namespace, quota, limits, network policies, bindings, sandbox.
  for (const [name, cpu, memory] of [
    ['dev', 1, '2Gi'],
    ['staging', 2, '4Gi'],
  ] as const) {
    await kit.spaces.create({
      organization,
      tenant: 'payments',
      name,
      resources: { cpu, memory },
      members: [{ kind: 'Group', name: 'payments-devs', role: 'developer' }],
    });
  }

  const { root } = await kit.usage.snapshot({ organization });
  print(root);
});
