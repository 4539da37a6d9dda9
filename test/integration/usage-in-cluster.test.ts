import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CustomObjectsApi } from '@kubernetes/client-node';
import {
  ClusterMeterStore,
  connect,
  ForbiddenError,
  KubeClient,
  Meter,
  type MeteredReport,
  type Spacekit,
  type UsageRecord,
} from '@spacekit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CertificateUser, certificateUser } from '../support/client-certs.ts';
import { clientThatNeverCommits } from '../support/dying-meter.ts';
import { adminKubeConfig, uniqueName } from '../support/kube.ts';
import { adminKit } from '../support/spacekit.ts';

// Metered usage kept in the cluster (ADR 0017): a real Meter writes SpaceUsage and MeterCoverage
// objects on the real control plane, and people read them with their own rights, signed in with
// client certificates as on a real cluster.
const MAIN = fileURLToPath(new URL('../../packages/sdk/src/cli/main.ts', import.meta.url));
const MINUTE = 60_000;
const org = uniqueName('meter');
const who = ['oscar', 'tina', 'rita', 'dave'] as const;
type Who = (typeof who)[number];
const users = {} as Record<Who, CertificateUser>;
const kits = {} as Record<Who, Spacekit>;
let kit: Spacekit;
let scratch: string;

/** What each Space requests while metered: millicores. */
const CPU = { web: 250n, qa: 1000n, api: 500n } as const;
const record = (tenant: string, space: keyof typeof CPU): UsageRecord => ({
  organization: org,
  tenant,
  space,
  used: { 'requests.cpu': `${CPU[space]}m`, 'requests.memory': '0' },
});

/** A clock the test moves by hand, in the recent past so that a report of the last hour holds it all. */
const start = Math.floor(Date.now() / MINUTE) * MINUTE - 40 * MINUTE;
let time = start;

function meter(client: KubeClient, source: () => UsageRecord[], errors: unknown[] = meterErrors): Meter {
  return new Meter({
    // A shard of its own: meters elsewhere in the shared cluster neither hide this one's gaps nor move where it starts.
    store: new ClusterMeterStore(client, { shard: org }),
    source,
    now: () => time,
    intervalMs: MINUTE,
    bucketMs: MINUTE,
    onError: (err) => errors.push(err),
  });
}

async function ticks(m: Meter, minutes: number): Promise<void> {
  for (let i = 0; i < minutes; i++) {
    await m.tick();
    time += MINUTE;
  }
}

const cpuOf = (report: MeteredReport, tenant: string, space?: string) =>
  report.rows.find((r) => r.organization === org && r.tenant === tenant && r.space === space)?.usage['requests.cpu']?.integral;

/** `spacekit usage report` as `user`, with a kubeconfig of their own. */
function cli(user: Who, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const path = join(scratch, `${user}.kubeconfig`);
  writeFileSync(path, users[user].kubeConfig.exportConfig());
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MAIN, '--kubeconfig', path, 'usage', 'report', ...args],
      { env: { ...process.env, KUBECONFIG: '', SPACEKIT_KUBECONFIG: '' } },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
    );
  });
}

let covered: number;
/** What the healthy meters failed at: nothing, or the test says what. */
const meterErrors: unknown[] = [];
const crashErrors: unknown[] = [];

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'usage-in-cluster-'));
  kit = await adminKit();
  const admin = adminKubeConfig();
  for (const name of who) users[name] = await certificateUser(admin, `${name}-${org}`);
  await kit.organizations.create({
    name: org,
    resources: { cpu: 8, memory: '8Gi' },
    members: [{ kind: 'User', name: users.oscar.name, role: 'admin' }],
  });
  await kit.tenants.create({
    organization: org,
    name: 'team',
    resources: { cpu: 4, memory: '4Gi' },
    members: [{ kind: 'User', name: users.tina.name, role: 'admin' }],
  });
  await kit.tenants.create({
    organization: org,
    name: 'rival',
    resources: { cpu: 2, memory: '2Gi' },
    members: [{ kind: 'User', name: users.rita.name, role: 'admin' }],
  });
  const resources = { cpu: 1, memory: '1Gi' };
  await kit.spaces.create({
    organization: org,
    tenant: 'team',
    name: 'web',
    resources,
    members: [{ kind: 'User', name: users.dave.name, role: 'developer' }],
  });
  await kit.spaces.create({ organization: org, tenant: 'team', name: 'qa', resources });
  await kit.spaces.create({ organization: org, tenant: 'rival', name: 'api', resources });
  for (const name of who) kits[name] = await connect({ kubeconfig: users[name].kubeConfig });

  // Ten metered minutes of the three Spaces, as the operator's meter writes them.
  const all = () => [record('team', 'web'), record('team', 'qa'), record('rival', 'api')];
  const first = meter(new KubeClient(admin), all);
  await ticks(first, 10);
  await first.stop();

  // A meter that dies in the middle of a write: its buckets are in the cluster, the coverage that
  // commits them never came. The API server, not a fake, holds the leftovers.
  const dying = clientThatNeverCommits(admin);
  const crashed = meter(dying, all, crashErrors);
  const before = time;
  await crashed.start();
  await ticks(crashed, 3);
  await crashed.stop().catch(() => undefined);
  time = before;

  // Its successor measures the same minutes again, and then a Space is deleted: its usage goes on
  // into its tenant's namespace.
  const second = meter(new KubeClient(admin), all);
  await second.start();
  await ticks(second, 5);
  await kit.spaces.delete({ organization: org, tenant: 'team', name: 'qa' });
  await ticks(second, 2);
  await second.stop();
  covered = time - start;
}, 240_000);

afterAll(async () => {
  await kit?.organizations.delete(org);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('metered usage in the cluster', () => {
  it('holds exactly what was measured: the dead meter’s uncommitted minutes are not counted, its successor’s are, once', async () => {
    expect(meterErrors).toEqual([]);
    expect(crashErrors.map(String)).toContain('Error: killed before the coverage was written');
    const report = await kit.usage.report({ scope: { organization: org }, since: '1h' });
    const ms = BigInt(covered);
    expect(cpuOf(report, 'team', 'web')).toBe((CPU.web * ms).toString());
    expect(cpuOf(report, 'rival', 'api')).toBe((CPU.api * ms).toString());
    // qa was deleted at the end, and its last minutes were kept in its tenant's namespace.
    expect(cpuOf(report, 'team', 'qa')).toBe((CPU.qa * ms).toString());
    const archived = await adminKubeConfig()
      .makeApiClient(CustomObjectsApi)
      .listNamespacedCustomObject({
        group: 'spacekit.dev',
        version: 'v1alpha1',
        namespace: `${org}--team`,
        plural: 'spaceusages',
      });
    expect(
      (archived as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name).every((n) => n.startsWith('qa.usage-')),
    ).toBe(true);
    expect(report.coverage.percent).toBeGreaterThan(0);
  });

  it("gives a tenant admin their tenant's Spaces, through the SDK and the CLI, and refuses them another tenant's", async () => {
    const report = await kits.tina.usage.report({ scope: { organization: org, tenant: 'team' }, since: '1h' });
    expect(report.rows.map((r) => r.space).sort()).toEqual(['qa', 'web']);
    expect(cpuOf(report, 'team', 'web')).toBe(cpuOf(await kit.usage.report({ scope: { organization: org }, since: '1h' }), 'team', 'web'));
    await expect(kits.tina.usage.report({ scope: { organization: org, tenant: 'rival' }, since: '1h' })).rejects.toThrow(ForbiddenError);
    await expect(kits.tina.usage.report({ since: '1h' })).rejects.toThrow(ForbiddenError);

    const json = await cli('tina', `${org}/team`, '--since', '1h', '--by', 'tenant', '-o', 'json');
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const byTenant = JSON.parse(json.stdout) as MeteredReport;
    expect(byTenant.rows).toHaveLength(1);
    expect(cpuOf(byTenant, 'team')).toBe(((CPU.web + CPU.qa) * BigInt(covered)).toString());
    const refused = await cli('tina', `${org}/rival`, '--since', '1h');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/may not read metered usage in namespace/);
  });

  it('gives a developer their Space only', async () => {
    const report = await kits.dave.usage.report({ scope: { organization: org, tenant: 'team', space: 'web' }, since: '1h' });
    expect(report.rows.map((r) => r.space)).toEqual(['web']);
    await expect(kits.dave.usage.report({ scope: { organization: org, tenant: 'rival', space: 'api' }, since: '1h' })).rejects.toThrow(
      ForbiddenError,
    );
    await expect(kits.dave.usage.report({ scope: { organization: org, tenant: 'team' }, since: '1h' })).rejects.toThrow(ForbiddenError);
    const csv = await cli('dave', `${org}/team/web`, '--since', '1h', '-o', 'csv');
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\n')[1]).toContain(`${org},team,web`);
  });

  it('gives an organization admin the roll-up of every tenant', async () => {
    const report = await kits.oscar.usage.report({ scope: { organization: org }, since: '1h', by: 'tenant' });
    expect(report.rows.map((r) => r.tenant).sort()).toEqual(['rival', 'team']);
    expect(cpuOf(report, 'rival')).toBe((CPU.api * BigInt(covered)).toString());
    await expect(kits.rita.usage.report({ scope: { organization: org }, since: '1h' })).rejects.toThrow(ForbiddenError);
  });

  it('lets nobody but the meter write usage: a Space admin may not rewrite what was measured', async () => {
    const api = users.tina.kubeConfig.makeApiClient(CustomObjectsApi);
    const list = (await api.listNamespacedCustomObject({
      group: 'spacekit.dev',
      version: 'v1alpha1',
      namespace: `${org}--team--web`,
      plural: 'spaceusages',
    })) as { items: { metadata: { name: string } }[] };
    const name = list.items[0]?.metadata.name;
    expect(name).toMatch(/^usage-\d{4}-\d\d-\d\d-\d\d$/);
    await expect(
      api.deleteNamespacedCustomObject({
        group: 'spacekit.dev',
        version: 'v1alpha1',
        namespace: `${org}--team--web`,
        plural: 'spaceusages',
        name: name as string,
      }),
    ).rejects.toMatchObject({ code: 403 });
  });
});
