import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { adminKubeConfig, uniqueName } from '../support/kube.ts';

const MAIN = fileURLToPath(new URL('../../packages/sdk/src/cli/main.ts', import.meta.url));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `spacekit` command in a child process, as a user would. */
function spacekit(...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    // Without KUBECONFIG, nothing but --kubeconfig can point the CLI at a cluster.
    const env = { ...process.env, KUBECONFIG: '', SPACEKIT_KUBECONFIG: '' };
    execFile(process.execPath, [MAIN, ...args], { env }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `spacekit --kubeconfig <the run's cluster> ...`. */
const onCluster = (...args: string[]) => spacekit('--kubeconfig', inject('kubeconfigPath'), ...args);

interface Node {
  kind: string;
  name: string;
  phase: string;
  namespace?: string;
  budget: Record<string, string>;
  allocated?: Record<string, string>;
  used: Record<string, string>;
  children: Node[];
}

async function getTree(path: string): Promise<Node> {
  const result = await onCluster('get', path, '-o', 'json');
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Node;
}

const core = adminKubeConfig().makeApiClient(CoreV1Api);
const org = uniqueName('cli');

describe('the spacekit command', () => {
  afterAll(async () => {
    await onCluster('delete', 'org', org);
  });

  it('installs Spacekit, and again without failing', async () => {
    const first = await onCluster('install');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Spacekit (installed: \d+ changed|is installed and up to date)/);
    const again = await onCluster('install', '-o', 'json');
    expect(again.code).toBe(0);
    const result = JSON.parse(again.stdout) as { changed: string[]; unchanged: string[] };
    expect([...result.changed, ...result.unchanged]).toContain('CustomResourceDefinition/spaces.spacekit.dev');
  });

  it('creates an organization, a tenant and a Space', async () => {
    const created = [
      await onCluster('create', 'org', org, '--cpu', '4', '--memory', '8Gi', '--admin', 'alice'),
      await onCluster('create', 'tenant', `${org}/pay`, '--cpu', '2', '--memory', '4Gi'),
      await onCluster('create', 'space', `${org}/pay/dev`, '--cpu', '1', '--memory', '1Gi', '--developer', 'bob'),
    ];
    expect(created.map((r) => [r.code, r.stderr])).toEqual([
      [0, ''],
      [0, ''],
      [0, ''],
    ]);
    expect(created[2]?.stdout.split('\n')[0]).toBe(`created space ${org}/pay/dev (Ready): namespace ${org}--pay--dev`);
    const quota = await core.readNamespacedResourceQuota({ name: 'spacekit-quota', namespace: `${org}--pay--dev` });
    expect(quota.spec?.hard).toMatchObject({ 'requests.cpu': '1', 'requests.memory': '1Gi' });
  });

  it('shows the tree with the Space Ready and each budget allocated', async () => {
    const tree = await getTree(org);
    expect(tree).toMatchObject({
      kind: 'Organization',
      name: org,
      phase: 'Ready',
      namespace: org,
      budget: { 'requests.cpu': '4', 'requests.memory': '8Gi' },
      allocated: { 'requests.cpu': '2', 'requests.memory': '4Gi' },
    });
    expect(tree.children.map((t) => t.name)).toEqual(['pay']);
    const [tenant] = tree.children;
    expect(tenant).toMatchObject({ kind: 'Tenant', phase: 'Ready', allocated: { 'requests.cpu': '1', 'requests.memory': '1Gi' } });
    expect(tenant?.children).toHaveLength(1);
    expect(tenant?.children[0]).toMatchObject({
      kind: 'Space',
      name: 'dev',
      phase: 'Ready',
      namespace: `${org}--pay--dev`,
      budget: { 'requests.cpu': '1', 'requests.memory': '1Gi' },
      children: [],
    });

    const text = await onCluster('get', org);
    expect(text.code).toBe(0);
    const rows = text.stdout.split('\n');
    expect(rows[0]).toMatch(/^NAME\s+PHASE\s+CPU\s+MEMORY\s+NAMESPACE$/);
    expect(rows[1]).toMatch(new RegExp(`^${org}\\s+Ready\\s+2/4\\s+4Gi/8Gi\\s+${org}$`));
    expect(rows[2]).toMatch(new RegExp(`^└─ pay\\s+Ready\\s+1/2\\s+1Gi/4Gi\\s+${org}--pay$`));
    expect(rows[3]).toMatch(new RegExp(`^   └─ dev\\s+Ready\\s+0/1\\s+0/1Gi\\s+${org}--pay--dev$`));
    // Columns line up: every row's phase starts where the header's does.
    const phaseAt = rows[0]?.indexOf('PHASE');
    for (const row of rows.slice(1, 4)) expect(row.indexOf('Ready')).toBe(phaseAt);
  });

  it('refuses a Space over the budget, exiting 1 with the reason, and creates nothing', async () => {
    const over = await onCluster('create', 'space', `${org}/pay/big`, '--cpu', '2', '--memory', '1Gi');
    expect(over.code).toBe(1);
    expect(over.stdout).toBe('');
    expect(over.stderr).toBe(
      `spacekit: space "big" asks for requests.cpu=2, but tenant ${org}/pay has only 1 free of 2 (held by space/dev (1)). Ask for 1 or less, or free some up.\n`,
    );
    const tenant = await getTree(`${org}/pay`);
    expect(tenant.children.map((s) => s.name)).toEqual(['dev']);
    expect(tenant.allocated).toEqual({ 'requests.cpu': '1', 'requests.memory': '1Gi' });
    await expect(core.readNamespace({ name: `${org}--pay--big` })).rejects.toMatchObject({ code: 404 });
  });

  it('resizes a Space, keeping the resources not named', async () => {
    const resized = await onCluster('update', 'space', `${org}/pay/dev`, '--cpu', '2');
    expect(resized.stderr).toBe('');
    expect(resized.code).toBe(0);
    const tenant = await getTree(`${org}/pay`);
    expect(tenant.allocated).toEqual({ 'requests.cpu': '2', 'requests.memory': '1Gi' });
    expect(tenant.children[0]?.budget).toMatchObject({ 'requests.cpu': '2', 'requests.memory': '1Gi' });
  });

  it('prints usage at every level, and keeps it live with --watch until interrupted', async () => {
    const json = await onCluster('usage', org, '-o', 'json');
    expect(json.stderr).toBe('');
    const tree = JSON.parse(json.stdout) as Node;
    expect(tree).toMatchObject({ kind: 'Organization', name: org, budget: { 'requests.cpu': '4' }, allocated: { 'requests.cpu': '2' } });
    expect(tree.children[0]?.children[0]).toMatchObject({ name: 'dev', budget: { 'requests.cpu': '2' } });
    const text = await onCluster('usage', `${org}/pay`);
    expect(text.stdout.split('\n')[0]).toMatch(/^NAME\s+PHASE\s+CPU\s+MEMORY$/);
    expect(text.stdout).toMatch(/└─ dev\s+\S+\s+0 · 2\s+0 · 1Gi/);

    // --watch -o json: one document per change; the first arrives at once, Ctrl-C ends it cleanly.
    const child = spawn(
      process.execPath,
      [MAIN, '--kubeconfig', inject('kubeconfigPath'), 'usage', `${org}/pay/dev`, '--watch', '-o', 'json'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const first = await new Promise<string>((resolve) => createInterface(child.stdout).once('line', resolve));
    const snapshot = JSON.parse(first) as { at: string; usage: Node[] };
    expect(Date.parse(snapshot.at)).not.toBeNaN();
    expect(snapshot.usage[0]).toMatchObject({ kind: 'Space', name: 'dev' });
    child.kill('SIGINT');
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
  });

  it("installs the operator's manifests too with --operator", async () => {
    const result = await onCluster('install', '--operator', '--operator-replicas', '0', '-o', 'json');
    expect(result.stderr).toBe('');
    const installed = JSON.parse(result.stdout) as { changed: string[]; unchanged: string[] };
    expect([...installed.changed, ...installed.unchanged]).toEqual(
      expect.arrayContaining([
        'Namespace/spacekit-system',
        'ServiceAccount/spacekit-operator',
        'ClusterRole/spacekit-operator',
        'Deployment/spacekit-operator',
        'Service/spacekit-operator-metrics',
      ]),
    );
  });

  it("exits 1 with the SDK's message for a name Kubernetes cannot use", async () => {
    const bad = await onCluster('create', 'space', `${org}/pay/Bad_Name`, '--cpu', '1', '--memory', '1Gi');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'spacekit: space name "Bad_Name" is not allowed: use lowercase letters, digits and hyphens, starting and ending with a letter or digit (such as "payments" or "team-a")\n',
    );
  });

  it('exits 2 with the usage for a malformed command line', async () => {
    const wrong = await onCluster('create', 'space', `${org}/dev`);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(
      new RegExp(`^spacekit: expected ORG/TENANT/SPACE, such as acme/payments/dev, not "${org}/dev"\n\nusage: spacekit `),
    );
  });

  it('deletes the organization with everything in it', async () => {
    const deleted = await onCluster('delete', 'org', org);
    expect(deleted.stderr).toBe('');
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toBe(`deleted organization ${org}\n`);
    for (const name of [org, `${org}--pay`, `${org}--pay--dev`]) {
      await expect(core.readNamespace({ name })).rejects.toMatchObject({ code: 404 });
    }
    const gone = await onCluster('get', org);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe(`spacekit: organization ${org} does not exist\n`);
  });

  it('renders a Space without a cluster', async () => {
    const bogus = ['--kubeconfig', '/nonexistent/kubeconfig'];
    const rendered = await spacekit(
      ...bogus,
      'render',
      '--org',
      'acme',
      '--tenant',
      'payments',
      '--space',
      'dev',
      '--cpu',
      '2',
      '--memory',
      '4Gi',
    );
    expect(rendered.stderr).toBe('');
    expect(rendered.code).toBe(0);
    const docs = rendered.stdout.split(/^---$/m);
    const kinds = docs.map((doc) => /^kind: (\w+)$/m.exec(doc)?.[1]);
    expect(new Set(kinds)).toEqual(new Set(['Namespace', 'ResourceQuota', 'LimitRange', 'NetworkPolicy']));
    expect(rendered.stdout).toMatch(/^ {2}name: acme--payments--dev$/m);

    const json = await spacekit(...bogus, 'render', '--org', 'acme', '--tenant', 'payments', '--space', 'dev', '-o', 'json');
    expect(json.code).toBe(0);
    const list = JSON.parse(json.stdout) as { kind: string; items: { kind: string }[] };
    expect(list.kind).toBe('List');
    expect(list.items).toHaveLength(docs.length);
  });
});
