// Print live usage as it changes: what workloads request, against what each
// level may use. Driven by watches, not polling; works for a tenant admin
// who may not list namespaces.
//
//   node packages/examples/src/usage-watch.ts ORG[/TENANT[/SPACE]] [--count N] [--timeout 10m] [--json]
//
// Stops after N snapshots, after the timeout, on Ctrl-C, or when the scope is deleted.
import { parseArgs } from 'node:util';
import { humanQuantity, parseDuration, parseResourceList, type TreeNode, type UsageScope, type UsageSnapshot } from '@spacekit/sdk';
import { connectFromEnv, main, UsageProblem } from './cluster.ts';

const USAGE = 'usage: node packages/examples/src/usage-watch.ts ORG[/TENANT[/SPACE]] [--count N] [--timeout 10m] [--json]';

function scopeOf(text: string | undefined): UsageScope {
  const [organization, tenant, space, extra] = (text ?? '').split('/');
  if (!organization || extra !== undefined) throw new UsageProblem(USAGE);
  return { organization, ...(tenant && { tenant }), ...(space && { space }) };
}

/** `cpu 200m/2 (allocated 1)`: used of budget, per resource. */
function usageLine(node: TreeNode): string {
  const used = parseResourceList(node.used);
  const allocated = parseResourceList(node.allocated ?? {});
  // A budget of 0 is a resource not granted (storage, unless a budget gives it): nothing to watch.
  return [...parseResourceList(node.budget)]
    .filter(([resource, budget]) => resource.startsWith('requests.') && budget > 0n)
    .map(([resource, budget]) => {
      const share = node.allocated ? ` (allocated ${humanQuantity(resource, allocated.get(resource) ?? 0n)})` : '';
      return `${resource.slice('requests.'.length)} ${humanQuantity(resource, used.get(resource) ?? 0n)}/${humanQuantity(resource, budget)}${share}`;
    })
    .join('  ');
}

function printSnapshot(snapshot: UsageSnapshot, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(snapshot)}\n`);
    return;
  }
  const time = snapshot.at.slice(11, 19);
  const lines = [`${time} ${snapshot.root.kind.toLowerCase()} ${snapshot.root.name}  ${snapshot.root.phase}  ${usageLine(snapshot.root)}`];
  for (const child of snapshot.root.children)
    lines.push(`         ${child.kind.toLowerCase()} ${child.name}  ${child.phase}  ${usageLine(child)}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main(async () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { count: { type: 'string' }, timeout: { type: 'string' }, json: { type: 'boolean' } },
  });
  const scope = scopeOf(positionals[0]);
  const count = values.count === undefined ? Number.POSITIVE_INFINITY : Number(values.count);
  if (!(count >= 1)) throw new UsageProblem(`--count takes a whole number of 1 or more\n${USAGE}`);
  const kit = await connectFromEnv();

  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  if (values.timeout !== undefined) setTimeout(() => stop.abort(), parseDuration(values.timeout, '--timeout')).unref();

  let seen = 0;
  for await (const snapshot of kit.usage.watch(scope, { signal: stop.signal })) {
    printSnapshot(snapshot, values.json === true);
    if (++seen >= count) break;
  }
  process.stderr.write(`watched ${seen} snapshot${seen === 1 ? '' : 's'}\n`);
});
