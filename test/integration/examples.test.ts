import { execFile, spawn } from 'node:child_process';
import { allocationsOf } from '../support/allocations.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { ApiException, AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { ensureControlPlaneBinary } from '@spacekit/local-cluster';
import { parseResourceList, type MeteredReport, type Spacekit, type UsageSnapshot } from '@spacekit/sdk';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminKubeConfig, eventually, uniqueName, webDeployment } from '../support/kube.ts';
import { adminKitWithOperator, type OperatorProcess, operatorKubeconfig, startOperator } from '../support/operator.ts';

// Runs every program in packages/examples as a person would, against the run's control plane.
// Everything belongs to organizations labelled with this file's shard, which only its operator looks after.
const ROOT = resolve(import.meta.dirname, '../..');
const EXAMPLES = join(ROOT, 'packages/examples/src');
const VITEST = join(ROOT, 'node_modules/vitest/vitest.mjs');
const shard = uniqueName('examples');
const org = shard;
const SHARD_LABEL = 'e2e.spacekit.example/shard';
const admin = adminKubeConfig();
const core = admin.makeApiClient(CoreV1Api);
const kubeconfigPath = inject('kubeconfigPath');
const cpu = (list: Record<string, string | number> | undefined) => parseResourceList(list ?? {}).get('requests.cpu') ?? 0n;
let kit: Spacekit;
let operator: OperatorProcess;
let removeKubeconfig: () => void;
let meterDir: string;
const extraOrganizations: string[] = [];

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment of a person's shell: no cluster unless given, and nothing of the vitest that runs this file. */
function shellEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('VITEST') || key === 'KUBECONFIG' || key === 'SPACEKIT_KUBECONFIG' || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) env[key] = value;
  return env;
}

/** Runs a program to its end. */
function run(args: string[], env: Record<string, string | undefined> = { SPACEKIT_KUBECONFIG: kubeconfigPath }): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: shellEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', fail);
    child.once('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

const example = (name: string, ...args: string[]) => run([join(EXAMPLES, name), ...args]);

async function namespaceGone(name: string): Promise<boolean> {
  try {
    await core.readNamespace({ name });
    return false;
  } catch (err) {
    if (err instanceof ApiException && err.code === 404) return true;
    throw err;
  }
}

beforeAll(async () => {
  kit = await adminKitWithOperator();
  await kit.organizations.create({ name: org, labels: { [SHARD_LABEL]: shard }, resources: { cpu: 8, memory: '8Gi' } });
  // Room for four default ephemeral Spaces (500m, 512Mi) at once: the suites hold two at most each.
  await kit.tenants.create({ organization: org, name: 'ci', resources: { cpu: 2, memory: '2Gi' } });
  await kit.tenants.create({ organization: org, name: 'apps', resources: { cpu: 4, memory: '4Gi' } });
  await kit.spaces.create({ organization: org, tenant: 'apps', name: 'web', resources: { cpu: 1, memory: '1Gi' } });
  // Two replicas, each given the Space's default request of 100m cpu: something for the watcher and the meter to see.
  await admin.makeApiClient(AppsV1Api).createNamespacedDeployment({ namespace: `${org}--apps--web`, body: webDeployment(2) });
  meterDir = mkdtempSync(join(tmpdir(), 'spacekit-examples-meter-'));
  const kubeconfig = await operatorKubeconfig(admin);
  removeKubeconfig = kubeconfig.remove;
  operator = await startOperator({
    kubeconfigPath: kubeconfig.path,
    organizationSelector: `${SHARD_LABEL}=${shard}`,
    meterDir,
    meterInterval: '1s',
    meterBucket: '1s',
  });
});

afterAll(async () => {
  for (const name of [org, ...extraOrganizations]) await kit?.organizations.delete(name).catch(() => undefined);
  const code = await operator?.stop();
  removeKubeconfig?.();
  if (meterDir) rmSync(meterDir, { recursive: true, force: true });
  expect(code).toBe(0);
});

describe('without a cluster', () => {
  it('every example that needs one says how to give it, and exits with status 2', async () => {
    for (const [name, ...args] of [['provision.ts'], ['usage-watch.ts', `${org}/apps`], ['metering-report.ts']] as const) {
      const result = await run([join(EXAMPLES, name), ...args], {});
      expect(result.code, name).toBe(2);
      expect(result.stderr, name).toContain('No cluster given. Set SPACEKIT_KUBECONFIG (or KUBECONFIG)');
    }
  });
});

describe('provision.ts', () => {
  it('provisions an organization, a tenant and two Spaces, and prints what it made', async () => {
    const name = uniqueName('prov');
    extraOrganizations.push(name);
    const result = await example('provision.ts', name, '--label', `${SHARD_LABEL}=${shard}`);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    const spaces = await kit.spaces.list({ organization: name, tenant: 'payments' });
    expect(spaces.map((s) => [s.metadata.name, s.status?.phase, s.status?.usage?.hard?.['requests.cpu']]).sort()).toEqual([
      ['dev', 'Ready', '1'],
      ['staging', 'Ready', '2'],
    ]);
    expect((await kit.organizations.get(name)).metadata.labels?.[SHARD_LABEL]).toBe(shard);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^organization ${name}  Ready  namespace ${name}  allocated/budget: cpu 4/8, memory 8Gi/16Gi$`));
    expect(lines).toContain(`  tenant payments  Ready  namespace ${name}--payments  allocated/budget: cpu 3/4, memory 6Gi/8Gi`);
    expect(lines).toContain(`    space staging  Ready  namespace ${name}--payments--staging  quota: cpu 2, memory 4Gi`);
    await kit.organizations.delete(name);
    expect(await namespaceGone(`${name}--payments--dev`)).toBe(true);
  });
});

describe('usage-watch.ts', () => {
  it('prints a snapshot whenever usage changes, until Ctrl-C', async () => {
    const child = spawn(process.execPath, [join(EXAMPLES, 'usage-watch.ts'), `${org}/apps`, '--json'], {
      cwd: ROOT,
      env: shellEnv({ SPACEKIT_KUBECONFIG: kubeconfigPath }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const snapshots: UsageSnapshot[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface(child.stdout).on('line', (line) => snapshots.push(JSON.parse(line) as UsageSnapshot));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

    const first = await eventually('the first snapshot', async () => snapshots[0]);
    expect(first.scope).toEqual({ organization: org, tenant: 'apps' });
    expect(first.root.children.map((c) => c.name)).toEqual(['web']);

    // A new Space changes the tenant's allocation: the watcher prints it without being asked.
    await kit.spaces.create({ organization: org, tenant: 'apps', name: 'burst', resources: { cpu: 2, memory: '1Gi' } });
    const after = await eventually('a snapshot with the new Space', async () =>
      snapshots.find((s) => s.root.children.some((c) => c.name === 'burst' && c.phase === 'Ready')),
    );
    expect(cpu(after.root.allocated)).toBe(3000n);
    expect(after.root.children.find((c) => c.name === 'burst')?.budget).toMatchObject({ 'requests.cpu': '2', 'requests.memory': '1Gi' });

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toBe(`watched ${snapshots.length} snapshots\n`);
    await kit.spaces.delete({ organization: org, tenant: 'apps', name: 'burst' });
  });

  it('stops by itself after --count snapshots, and prints usage against budget for people', async () => {
    const usage = await eventually("the operator to record the app's usage", async () => {
      const space = await kit.spaces.get({ organization: org, tenant: 'apps', name: 'web' });
      return cpu(space.status?.usage?.used) === 200n ? space : undefined;
    });
    expect(usage.status?.phase).toBe('Ready');
    const result = await example('usage-watch.ts', `${org}/apps/web`, '--count', '1');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('watched 1 snapshot\n');
    expect(result.stdout).toMatch(/^\d\d:\d\d:\d\d space web {2}Ready {2}cpu 200m\/1 {2}memory 256Mi\/1Gi\n$/);
  });
});

describe('metering-report.ts', () => {
  it("reports the resource-minutes the operator's meter integrated, per Space", async () => {
    await eventually("the app's usage in status", async () =>
      cpu((await kit.spaces.get({ organization: org, tenant: 'apps', name: 'web' })).status?.usage?.used) === 200n ? true : undefined,
    );
    const url = operator.url;
    const report = await eventually(
      'metered usage of the web Space',
      async () => {
        const result = await example('metering-report.ts', '--operator', url, '--since', '1h', '--json');
        if (result.code !== 0) throw new Error(result.stderr);
        const parsed = JSON.parse(result.stdout) as MeteredReport;
        const row = parsed.rows.find((r) => r.organization === org && r.tenant === 'apps' && r.space === 'web');
        return (row?.usage['requests.cpu']?.value ?? 0) > 0 ? parsed : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1_000 },
    );
    expect(report.by).toBe('space');
    const row = report.rows.find((r) => r.space === 'web');
    expect(row?.usage['requests.cpu']?.unit).toBe('core-minutes');
    expect(row?.usage['requests.memory']?.unit).toBe('GiB-minutes');
    // Only this file's organizations are metered by this operator.
    expect(report.rows.every((r) => r.organization === org || extraOrganizations.includes(r.organization))).toBe(true);

    const table = await example('metering-report.ts', '--operator', url, '--since', '1h', '--by', 'tenant');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^Usage by tenant, .* to .*; measured \d+\.\d% of the window\n\n/);
    expect(table.stdout).toMatch(/WHO\s+requests\.cpu \(core-minutes\)\s+requests\.memory \(GiB-minutes\)/);
    expect(table.stdout).toMatch(new RegExp(`\\n${org}/apps\\s+\\d+\\.\\d{3}\\s+\\d+\\.\\d{3}`));

    const bad = await example('metering-report.ts', '--by', 'team');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--by is one of space, tenant, organization, not "team"');
  });
});

describe('render-only.ts', () => {
  it('writes YAML without reading a kubeconfig, which kubectl applies and the operator provisions', async () => {
    const name = uniqueName('gitops');
    extraOrganizations.push(name);
    const args = [
      join(EXAMPLES, 'render-only.ts'),
      '--org',
      name,
      '--tenant',
      'web',
      '--space',
      'preview',
      '--cpu',
      '500m',
      '--memory',
      '1Gi',
      '--ttl',
      '2h',
      '--label',
      `${SHARD_LABEL}=${shard}`,
    ];
    // A kubeconfig that does not exist: any attempt to reach a cluster would fail.
    const rendered = await run(args, { KUBECONFIG: '/nonexistent/kubeconfig', SPACEKIT_KUBECONFIG: '/nonexistent/kubeconfig' });
    expect(rendered.stderr).toBe('');
    expect(rendered.code).toBe(0);
    const documents = rendered.stdout.split(/^---$/m);
    expect(documents.map((d) => /^kind: (\w+)$/m.exec(d)?.[1])).toEqual(['Organization', 'Tenant', 'Space']);

    // What a GitOps tool does with it: apply, and apply again until the namespaces the operator makes are there.
    const dir = mkdtempSync(join(tmpdir(), 'spacekit-gitops-'));
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, rendered.stdout);
    const kubectl = (await ensureControlPlaneBinary()).path;
    await eventually('kubectl apply to succeed', async () => {
      try {
        await promisify(execFile)(kubectl, ['kubectl', '--kubeconfig', kubeconfigPath, 'apply', '--server-side', '-f', file]);
        return true;
      } catch {
        return undefined;
      }
    });
    rmSync(dir, { recursive: true, force: true });
    const space = await eventually('the operator to provision the Space', async () => {
      const s = await kit.spaces.get({ organization: name, tenant: 'web', name: 'preview' });
      return s.status?.phase === 'Ready' ? s : undefined;
    });
    expect(space.spec.ttl).toBe('2h');
    const quota = await core.readNamespacedResourceQuota({ name: 'spacekit-quota', namespace: `${name}--web--preview` });
    expect(quota.spec?.hard).toMatchObject({ 'requests.cpu': '500m', 'requests.memory': '1Gi' });
  });

  it('writes the plain Kubernetes objects with --objects, for clusters without Spacekit', async () => {
    const result = await run(
      [join(EXAMPLES, 'render-only.ts'), '--org', 'acme', '--tenant', 'web', '--space', 'dev', '--cpu', '2', '--objects', '-o', 'json'],
      {},
    );
    expect(result.code).toBe(0);
    const list = JSON.parse(result.stdout) as {
      kind: string;
      items: {
        kind: string;
        metadata: { name: string; namespace?: string; labels?: Record<string, string> };
        spec?: { hard?: Record<string, string> };
      }[];
    };
    expect(list.kind).toBe('List');
    expect(list.items.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual(['acme', 'acme--web', 'acme--web--dev']);
    expect(list.items.some((o) => o.kind === 'Organization' || o.kind === 'Space')).toBe(false);
    const quota = list.items.find((o) => o.kind === 'ResourceQuota' && o.metadata.namespace === 'acme--web--dev');
    expect(quota?.spec?.hard).toMatchObject({ 'requests.cpu': '2', 'requests.memory': '2Gi' });
    expect(list.items.find((o) => o.metadata.name === 'acme--web--dev')?.metadata.labels?.['spacekit.dev/sandbox']).toBe('gvisor');
    expect(
      list.items.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'acme--web--dev').map((o) => o.metadata.name),
    ).toContain('spacekit-default-deny');
  });
});

describe('the example test suites', () => {
  const suiteEnv = () => ({ SPACEKIT_KUBECONFIG: kubeconfigPath, SPACEKIT_TENANT: `${org}/ci` });

  it('the vitest suite deploys its app into ephemeral Spaces, passes, and leaves nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spacekit-example-suite-'));
    const report = join(dir, 'report.json');
    const result = await run(
      [
        VITEST,
        'run',
        '--config',
        'packages/examples/vitest.config.ts',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${report}`,
      ],
      suiteEnv(),
    );
    const summary = JSON.parse(readFileSync(report, 'utf8')) as {
      numTotalTests: number;
      numPassedTests: number;
      numFailedTests: number;
      testResults: { name: string }[];
    };
    rmSync(dir, { recursive: true, force: true });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(summary.testResults.map((f) => f.name)).toEqual([join(EXAMPLES, 'deploy-app.suite.ts')]);
    expect(summary).toMatchObject({ numTotalTests: 5, numPassedTests: 5, numFailedTests: 0 });
    expect(await kit.spaces.list({ organization: org, tenant: 'ci' })).toEqual([]);
    expect(await allocationsOf(kit, { organization: org, tenant: 'ci' })).toEqual({});
  });

  it('the node:test suite does the same', async () => {
    const result = await run(['--test', '--test-reporter=tap', join(EXAMPLES, 'deploy-app.node-test.ts')], suiteEnv());
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^# pass 2$/m);
    expect(result.stdout).toMatch(/^# fail 0$/m);
    expect(await kit.spaces.list({ organization: org, tenant: 'ci' })).toEqual([]);
  });
});
