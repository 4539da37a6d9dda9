// The packages as a stranger gets them: packed with `pnpm pack` (which applies publishConfig and
// builds lib/), installed with plain npm into an empty project outside the workspace, and used
// from there: ESM import, CommonJS require, a strict TypeScript consumer, the `spacekit` command,
// and an ephemeral Space on the run's control plane. Nothing of the workspace is linked.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { formatObjects, renderSpaceStack } from '../../packages/sdk/src/cli/render-command.ts';
import { HELP_TEXT } from '../../packages/sdk/src/cli/help.ts';
import { adminKubeConfig, uniqueName } from '../support/kube.ts';
import { adminKit } from '../support/spacekit.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const PACKAGES = { sdk: join(ROOT, 'packages/sdk'), localCluster: join(ROOT, 'packages/local-cluster') };
/** What the stranger installs besides the tarballs, at the versions the workspace uses. */
const THIRD_PARTY = ['typescript@6.0.3', '@kubernetes/client-node@2.0.1', 'vitest@5.1.1'];

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; never rejects, so that the test can look at a failure. */
function sh(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Result> {
  return new Promise((done) => {
    execFile(
      command,
      [...args],
      { cwd: options.cwd, env: options.env ?? strangerEnv(), maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/**
 * The environment of someone outside the workspace: no pnpm or npm settings inherited from the
 * runner, no cluster unless given. HOME stays, so that npm's own cache serves repeated runs.
 */
function strangerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|pnpm_|PNPM_|VITEST|NODE_OPTIONS$)/.test(k)));
  return { ...env, KUBECONFIG: '', SPACEKIT_KUBECONFIG: '', NO_COLOR: '1', ...extra };
}

const ok = (r: Result, what: string) => {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  return r;
};

let scratch = '';
let project = '';
const tarballs = { sdk: '', localCluster: '' };
const npx = (...args: string[]) => sh('npx', ['--no-install', ...args], { cwd: project });

const CONSUMER_TS = `
import { connect, QuotaExceededError, SpacekitError, type Space, type Spacekit } from '@spacekit/sdk';
import { ephemeralSpace, type EphemeralSpace } from '@spacekit/sdk/testing';
import { ephemeralSpaceTest } from '@spacekit/sdk/testing/vitest';
import { ephemeralSpaceFor } from '@spacekit/sdk/testing/node-test';
import { runOperator } from '@spacekit/sdk/operator';
import { AppsV1Api } from '@kubernetes/client-node';

export async function make(kit: Spacekit): Promise<string | undefined> {
  const space: Space = await kit.spaces.create({
    organization: 'acme', tenant: 'payments', name: 'dev',
    resources: { cpu: 2, memory: '4Gi' }, sandbox: 'gvisor',
    members: [{ kind: 'User', name: 'alice', role: 'developer' }],
  });
  return space.status?.namespace;
}

export async function inSpace(kit: Spacekit): Promise<void> {
  await using space: EphemeralSpace = await ephemeralSpace(kit, { tenant: 'acme/ci', ttl: '30m' });
  await space.api(AppsV1Api).listNamespacedDeployment({ namespace: space.namespace });
}

export const refused = (err: unknown) => err instanceof QuotaExceededError || (err instanceof SpacekitError && err.code === 'QUOTA_EXCEEDED');
export const fixtures = [ephemeralSpaceTest, ephemeralSpaceFor, runOperator, connect] as const;
`;

/** The planted mistake: a sandbox the SDK does not have. */
const BAD_TS = `
import { connect } from '@spacekit/sdk';
const kit = await connect();
await kit.spaces.create({ organization: 'a', tenant: 'b', name: 'c', resources: { cpu: 1 }, sandbox: 'kata' });
`;

const TSCONFIG = (files: string[]) =>
  JSON.stringify({
    // strict, and the stricter flags the workspace itself uses; the packages' declarations are checked too (no skipLibCheck).
    compilerOptions: {
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      target: 'es2024',
      lib: ['es2024', 'esnext.disposable'],
      module: 'nodenext',
      moduleResolution: 'nodenext',
      noEmit: true,
    },
    files,
  });

describe('the packages, installed from their tarballs with npm', () => {
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'spacekit-npm-'));
    project = join(scratch, 'project');
    const packed = join(scratch, 'tarballs');
    for (const [key, dir] of Object.entries(PACKAGES) as [keyof typeof PACKAGES, string][]) {
      const result = ok(await sh('pnpm', ['pack', '--pack-destination', packed], { cwd: dir, env: process.env }), `pnpm pack in ${dir}`);
      tarballs[key] = result.stdout.trim().split('\n').at(-1) ?? '';
    }
    await sh('mkdir', ['-p', project], { cwd: scratch });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'stranger', version: '1.0.0', private: true, type: 'module' }));
    // Only the SDK at first: @spacekit/local-cluster is optional, and `up` must say so.
    ok(
      await sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarballs.sdk, ...THIRD_PARTY], {
        cwd: project,
      }),
      'npm install',
    );
  }, 600_000);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('ship JavaScript and declarations, and no tests, sources or build leftovers', async () => {
    const files = ok(await sh('tar', ['tzf', tarballs.sdk], { cwd: scratch }), 'tar')
      .stdout.trim()
      .split('\n');
    expect(files).toEqual(
      expect.arrayContaining([
        'package/package.json',
        'package/lib/index.js',
        'package/lib/index.d.ts',
        'package/lib/testing/vitest.d.ts',
        'package/lib/bin/spacekit.js',
      ]),
    );
    const unwanted = (f: string) =>
      /\.test\.|\.tsbuildinfo$|(^|\/)(test|tests|__tests__|fixtures?)\/|^package\/(src|scripts|dist)\//.test(f) ||
      (f.endsWith('.ts') && !f.endsWith('.d.ts'));
    expect(files.filter(unwanted)).toEqual([]);
    const cluster = ok(await sh('tar', ['tzf', tarballs.localCluster], { cwd: scratch }), 'tar')
      .stdout.trim()
      .split('\n');
    expect(cluster).toEqual(
      expect.arrayContaining([
        'package/lib/index.js',
        'package/lib/index.d.ts',
        'package/go/go.mod',
        'package/go/go.sum',
        'package/go/main.go',
      ]),
    );
    expect(cluster.filter((f) => unwanted(f) || f.endsWith('_test.go') || f.endsWith('/spacekit-cluster'))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules/@spacekit/sdk/package.json'), 'utf8')) as Record<string, unknown>;
    expect(JSON.stringify(manifest)).not.toMatch(/workspace:|src\/.*\.ts/);
  });

  it('import from an ESM module and require from a CommonJS one', async () => {
    const probe = (load: string) => `
      ${load}
      const out = { connect: typeof sdk.connect, SpacekitError: typeof sdk.SpacekitError, ephemeralSpace: typeof testing.ephemeralSpace,
        runOperator: typeof operator.runOperator, vitest: typeof vitest.ephemeralSpaceTest, nodeTest: typeof nodeTest.ephemeralSpaceFor };
      console.log(JSON.stringify(out));`;
    writeFileSync(
      join(project, 'esm.js'),
      probe(`import * as sdk from '@spacekit/sdk'; import * as testing from '@spacekit/sdk/testing'; import * as operator from '@spacekit/sdk/operator';
      import * as vitest from '@spacekit/sdk/testing/vitest'; import * as nodeTest from '@spacekit/sdk/testing/node-test';`),
    );
    writeFileSync(
      join(project, 'cjs.cjs'),
      probe(`const sdk = require('@spacekit/sdk'); const testing = require('@spacekit/sdk/testing'); const operator = require('@spacekit/sdk/operator');
      const vitest = require('@spacekit/sdk/testing/vitest'); const nodeTest = require('@spacekit/sdk/testing/node-test');`),
    );
    const functions = {
      connect: 'function',
      SpacekitError: 'function',
      ephemeralSpace: 'function',
      runOperator: 'function',
      vitest: 'function',
      nodeTest: 'function',
    };
    for (const file of ['esm.js', 'cjs.cjs']) {
      const result = await sh(process.execPath, [file], { cwd: project });
      expect({ file, code: result.code, stderr: result.stderr }).toEqual({ file, code: 0, stderr: '' });
      expect(JSON.parse(result.stdout)).toEqual(functions);
    }
  });

  it('type-check under strict tsc (nodenext) without skipLibCheck, and catch a planted mistake', async () => {
    writeFileSync(join(project, 'consumer.ts'), CONSUMER_TS);
    writeFileSync(join(project, 'tsconfig.json'), TSCONFIG(['consumer.ts']));
    const clean = await sh(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.'], { cwd: project });
    expect({ code: clean.code, output: clean.stdout + clean.stderr }).toEqual({ code: 0, output: '' });

    writeFileSync(join(project, 'bad.ts'), BAD_TS);
    writeFileSync(join(project, 'tsconfig.bad.json'), TSCONFIG(['consumer.ts', 'bad.ts']));
    const planted = await sh(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.bad.json'], { cwd: project });
    expect(planted.code).not.toBe(0);
    const errors = planted.stdout
      .trim()
      .split('\n')
      .filter((line) => /error TS\d+/.test(line));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^bad\.ts\(4,\d+\): error TS2322: Type '"kata"' is not assignable to type '.*"gvisor".*'/);
  });

  it('run spacekit --help and spacekit render through npx, printing what the workspace prints', async () => {
    const help = await npx('spacekit', '--help');
    expect({ code: help.code, stderr: help.stderr }).toEqual({ code: 0, stderr: '' });
    expect(help.stdout).toBe(HELP_TEXT);

    const render = await npx(
      'spacekit',
      'render',
      '--org',
      'acme',
      '--tenant',
      'web',
      '--space',
      'dev',
      '--cpu',
      '1',
      '--memory',
      '2Gi',
      '--developer',
      'bob',
    );
    expect({ code: render.code, stderr: render.stderr }).toEqual({ code: 0, stderr: '' });
    const input = {
      organization: 'acme',
      tenant: 'web',
      name: 'dev',
      resources: { cpu: '1', memory: '2Gi' },
      members: [{ kind: 'User' as const, name: 'bob', role: 'developer' as const }],
    };
    expect(render.stdout).toBe(formatObjects(renderSpaceStack(input), 'yaml'));
    expect([...render.stdout.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1])).toEqual(
      expect.arrayContaining(['Namespace', 'ResourceQuota', 'LimitRange', 'RoleBinding']),
    );

    const bad = await npx('spacekit', 'create', 'space', 'acme');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`spacekit: expected ORG/TENANT/SPACE, such as acme/payments/dev, not "acme"\n\n${HELP_TEXT}`);
  });

  it('name the package to install when spacekit up lacks @spacekit/local-cluster', async () => {
    const up = await npx('spacekit', 'up', '--once');
    expect(up.code).toBe(1);
    expect(up.stdout).toBe('');
    expect(up.stderr).toMatch(
      /^spacekit: spacekit up starts a local control plane, which comes in the optional package @spacekit\/local-cluster; .*\(npm install @spacekit\/local-cluster\), and Go 1\.26 or newer/,
    );
  });

  it('reach the cluster: spacekit get, and an ephemeralSpace() from the installed package', async () => {
    const kit = await adminKit();
    const org = uniqueName('npm');
    await kit.organizations.create({ name: org, resources: { cpu: 2, memory: '4Gi' } });
    try {
      await kit.tenants.create({ organization: org, name: 'ci', resources: { cpu: 1, memory: '2Gi' } });
      const get = await npx('spacekit', '--kubeconfig', inject('kubeconfigPath'), 'get', org, '-o', 'json');
      expect({ code: get.code, stderr: get.stderr }).toEqual({ code: 0, stderr: '' });
      expect(JSON.parse(get.stdout)).toMatchObject({ kind: 'Organization', name: org, children: [{ kind: 'Tenant', name: 'ci' }] });

      writeFileSync(
        join(project, 'ephemeral.js'),
        `import { connect } from '@spacekit/sdk';
        import { ephemeralSpace } from '@spacekit/sdk/testing';
        import { CoreV1Api } from '@kubernetes/client-node';
        const kit = await connect({ kubeconfig: process.argv[2] });
        let namespace;
        {
          await using space = await ephemeralSpace(kit, { tenant: process.argv[3], ttl: '10m' });
          namespace = space.namespace;
          // The Space's own credentials, as a test in it would use them.
          await space.api(CoreV1Api).createNamespacedConfigMap({ namespace, body: { metadata: { name: 'from-npm' }, data: { ok: 'yes' } } });
          const read = await space.api(CoreV1Api).readNamespacedConfigMap({ namespace, name: 'from-npm' });
          console.log(JSON.stringify({ namespace, data: read.data }));
        }`,
      );
      const run = await sh(process.execPath, ['ephemeral.js', inject('kubeconfigPath'), `${org}/ci`], { cwd: project });
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      const { namespace, data } = JSON.parse(run.stdout) as { namespace: string; data: Record<string, string> };
      expect(namespace).toMatch(new RegExp(`^${org}--ci--test-[0-9a-f]{8}$`));
      expect(data).toEqual({ ok: 'yes' });
      // Disposed on leaving the block: the Space is gone, and so is its namespace.
      expect(await kit.spaces.list({ organization: org, tenant: 'ci' })).toEqual([]);
      const names = (await adminKubeConfig().makeApiClient(CoreV1Api).listNamespace()).items.map((n) => n.metadata?.name);
      expect(names).not.toContain(namespace);
    } finally {
      await kit.organizations.delete(org);
    }
  });

  it('install @spacekit/local-cluster as its own package, with the Go sources up builds from', async () => {
    ok(
      await sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarballs.localCluster], {
        cwd: project,
      }),
      'npm install local-cluster',
    );
    writeFileSync(
      join(project, 'cluster.js'),
      `import * as lc from '@spacekit/local-cluster'; console.log(JSON.stringify({ start: typeof lc.startLocalCluster, error: typeof lc.LocalClusterError }));`,
    );
    const loaded = await sh(process.execPath, ['cluster.js'], { cwd: project });
    expect({ code: loaded.code, stderr: loaded.stderr, stdout: loaded.stdout.trim() }).toEqual({
      code: 0,
      stderr: '',
      stdout: JSON.stringify({ start: 'function', error: 'function' }),
    });
    if (!inject('externalCluster')) {
      // The run's control plane was built from the workspace's Go sources; the installed package's hash to the same binary.
      const built = await npx('spacekit-local-cluster', 'build');
      expect(built.code).toBe(0);
      const workspace = ok(
        await sh(process.execPath, [join(PACKAGES.localCluster, 'src/cli.ts'), 'build'], { cwd: ROOT, env: process.env }),
        'workspace build',
      );
      expect(built.stdout.trim()).toBe(workspace.stdout.trim());
    }
  });
});
