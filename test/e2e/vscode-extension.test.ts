import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { NotFoundError, type Spacekit } from '@spacekit/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CodeServer, codeServerBinary, startCodeServer } from '../../packages/vscode-extension/test/e2e/codeServer.ts';
import { Workbench } from '../../packages/vscode-extension/test/e2e/workbench.ts';
import { packageExtension } from '../../packages/vscode-extension/scripts/package.ts';
import { adminKubeConfig, eventually, expectStatus, impersonating, uniqueName, webDeployment } from '../support/kube.ts';
import { adminKitWithOperator, type OperatorProcess, operatorKubeconfig, startOperator } from '../support/operator.ts';

// The extension in a real VS Code (code-server), driven through Chromium, as a
// tenant admin who may read only their own Tenant, against the real control
// plane and the real operator. One organization that only this file's
// operator looks after.
const shard = uniqueName('vsc');
const org = shard;
const SHARD_LABEL = 'e2e.spacekit.example/shard';
const tina = `tina-${shard}`;
const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts/vscode-extension');
const admin = adminKubeConfig();
const web = { organization: org, tenant: 'payments', name: 'web' };
const preview = { organization: org, tenant: 'payments', name: 'preview' };

let kit: Spacekit;
let operator: OperatorProcess;
let codeServer: CodeServer | undefined;
let workbench: Workbench | undefined;
let tinaKubeconfig = '';
const cleanups: (() => void)[] = [];

/** A kubeconfig file as tina: the admin's credentials acting as her (`as:`), with her Tenant's namespace as the context namespace. */
function tenantAdminKubeconfig(): string {
  const kc = impersonating(admin, tina);
  kc.contexts = kc.contexts.map((c) => (c.name === kc.getCurrentContext() ? { ...c, namespace: `${org}--payments` } : c));
  const dir = mkdtempSync(join(tmpdir(), 'spacekit-e2e-kc-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'tina.kubeconfig');
  writeFileSync(path, kc.exportConfig(), { mode: 0o600 });
  return path;
}

/** The Spacekit output channel, as code-server writes it into its logs folder. */
function spacekitLog(): string {
  if (!codeServer) return '';
  const logs = join(codeServer.userDataDir, 'logs');
  const files = readdirSync(logs, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('Spacekit.log'));
  return files.map((f) => readFileSync(join(logs, f), 'utf8')).join('\n');
}

const ui = (): Workbench => {
  if (!workbench) throw new Error('the workbench did not open');
  return workbench;
};

async function spaceExists(ref: typeof preview): Promise<boolean> {
  return kit.spaces.get(ref).then(
    () => true,
    (err: unknown) => {
      if (err instanceof NotFoundError) return false;
      throw err;
    },
  );
}

beforeAll(async () => {
  kit = await adminKitWithOperator();
  await kit.organizations.create({ name: org, labels: { [SHARD_LABEL]: shard }, resources: { cpu: 8, memory: '16Gi' } });
  await kit.tenants.create({ organization: org, name: 'payments', resources: { cpu: 3, memory: '6Gi' }, members: [{ kind: 'User', name: tina, role: 'admin' }] });
  await kit.tenants.create({ organization: org, name: 'billing', resources: { cpu: 1, memory: '2Gi' }, members: [{ kind: 'User', name: `bob-${shard}`, role: 'admin' }] });
  await kit.spaces.create({ ...web, resources: { cpu: 1, memory: '2Gi' } });
  await kit.spaces.create({ organization: org, tenant: 'billing', name: 'ledger', resources: { cpu: '500m', memory: '1Gi' } });
  const operatorConfig = await operatorKubeconfig(admin);
  cleanups.push(operatorConfig.remove);
  const meterDir = mkdtempSync(join(tmpdir(), 'spacekit-e2e-meter-'));
  cleanups.push(() => rmSync(meterDir, { recursive: true, force: true }));
  operator = await startOperator({ kubeconfigPath: operatorConfig.path, organizationSelector: `${SHARD_LABEL}=${shard}`, meterDir, meterInterval: '2s', meterBucket: '10s' });

  const { vsix } = await packageExtension();
  codeServer = await startCodeServer({
    binary: codeServerBinary(),
    vsix,
    settings: {
      'security.workspace.trust.enabled': false,
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.enableExperiments': false,
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'chat.disableAIFeatures': true,
      'workbench.colorTheme': 'Default Dark Modern',
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'spacekit.kubeconfig': (tinaKubeconfig = tenantAdminKubeconfig()),
      'spacekit.operatorUrl': operator.url,
    },
  });
  workbench = await Workbench.open(codeServer.url, codeServer.workspace, ARTIFACTS);
});

// A failed step leaves a screenshot and the editor's logs (the Spacekit output channel among them) for the reader.
afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail' || !workbench || !codeServer) return;
  await workbench.screenshot(`failed-${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`);
  const logs = join(codeServer.userDataDir, 'logs');
  if (existsSync(logs)) cpSync(logs, join(ARTIFACTS, 'logs'), { recursive: true });
});

afterAll(async () => {
  await workbench?.close();
  await codeServer?.stop();
  await kit?.organizations.delete(org).catch(() => undefined);
  const code = await operator?.stop();
  for (const cleanup of cleanups) cleanup();
  expect(code).toBe(0);
});

describe('the Spacekit extension in VS Code (code-server), as a tenant admin', () => {
  it('lists the organization, the tenant and its Spaces the user may see, and nothing of another tenant', async () => {
    await ui().openViewContainer('Spacekit');
    await ui().row('Space web, Ready').waitFor();
    const labels = await ui().rowLabels('Spaces');
    // The organization cannot be read by a tenant admin: it shows as a plain grouping row, not an error.
    expect(labels).toContain(`Organization ${org}, no access`);
    expect(labels).toContain('Tenant payments, Ready, cpu 0/3 · mem 0/6Gi');
    expect(labels).toContain('Space web, Ready, cpu 0/1 · mem 0/2Gi');
    expect(labels.join('\n')).not.toMatch(/billing|ledger/);
    await ui().widenSideBar(140);
    await ui().screenshot('spaces-tree');
    // The tooltip gives the details: used, allocated, budget and what is left, per resource.
    const tooltip = await ui().hover(ui().row('Tenant payments'));
    await tooltip.filter({ hasText: 'allocated' }).waitFor();
    expect(await tooltip.textContent()).toMatch(/cpu\s*0\s*1\s*3\s*2/);
    await ui().screenshot('spaces-tree-tooltip', { x: 0, y: 0, width: 800, height: 330 });
    await ui().page.mouse.move(900, 600);

    // Its watches run only while it is visible: hiding the view stops them, showing it starts them again.
    await ui().openViewContainer('Explorer');
    await eventually('the watches to stop', async () => (spacekitLog().includes('watches stopped: the Spaces view is hidden') ? true : undefined));
    await ui().openViewContainer('Spacekit');
    await ui().row('Space web, Ready').waitFor();
    const restarted = await eventually('the watches to start again', async () => {
      const starts = spacekitLog().match(/watching 1 scope\(s\): tenant /g)?.length ?? 0;
      return starts >= 2 ? starts : undefined;
    });
    expect(restarted).toBe(2);
  });

  it('refuses a size above the tenant budget inside the create flow, and creates nothing', async () => {
    await ui().runCommand('Spacekit: Create Space…');
    await ui().waitForStep('Create Space (1/5)');
    await ui().pick(`${org}/payments`);
    // Validate as you type, with the SDK's name rules.
    await ui().waitForStep('Create Space (2/5)');
    await ui().typeInQuickInput('Bad_Name');
    await eventually('the name refusal', async () => ((await ui().quickInputMessage()).includes('is not allowed') ? true : undefined));
    await ui().screenshot('create-flow-name', { x: 0, y: 0, width: 1080, height: 240 });
    await ui().typeInQuickInput('preview');
    await ui().page.keyboard.press('Enter');
    await ui().waitForStep('Create Space (3/5)');
    await ui().pick('Custom size…');
    await ui().quickInputBox().filter({ visible: true }).waitFor();
    await ui().typeInQuickInput('cpu=50 memory=1Gi');
    const refusal = await eventually('the budget refusal', async () => {
      const message = await ui().quickInputMessage();
      return message.includes('Too big for tenant') ? message : undefined;
    });
    expect(refusal).toMatch(/cpu 50 asked, 2 free|cpu 50 asked, 3 free/);
    await ui().screenshot('create-flow-refused', { x: 0, y: 0, width: 1080, height: 240 });
    // Enter does not send it: the step stays open with the same refusal.
    await ui().page.keyboard.press('Enter');
    expect(await ui().quickInputVisible()).toBe(true);
    expect(await ui().quickInputMessage()).toContain('Too big for tenant');
    await ui().page.keyboard.press('Escape');
    expect(await spaceExists(preview)).toBe(false);
    expect((await kit.tenants.get({ organization: org, name: 'payments' })).status?.allocations?.preview).toBeUndefined();
  });

  it('creates a Space through the guided flow; it appears in the tree and reaches Ready', async () => {
    await ui().runCommand('Spacekit: Create Space…');
    await ui().waitForStep('Create Space (1/5)');
    await ui().pick(`${org}/payments`);
    await ui().waitForStep('Create Space (2/5)');
    await ui().typeInQuickInput('preview');
    await ui().page.keyboard.press('Enter');
    await ui().waitForStep('Create Space (3/5)');
    await ui().quickInputRow('Small').first().waitFor();
    await ui().screenshot('create-flow-size', { x: 0, y: 0, width: 1080, height: 300 });
    await ui().pick('Small');
    await ui().waitForStep('Create Space (4/5)');
    await ui().pick('gvisor');
    await ui().waitForStep('Create Space (5/5)');
    await ui().pick('isolated');
    await ui().row('Space preview, Ready').waitFor({ timeout: 180_000 });
    const space = await kit.spaces.get(preview);
    expect(space.status?.phase).toBe('Ready');
    expect(space.spec.resources).toEqual({ cpu: '500m', memory: '1Gi' });
    expect(space.spec.sandbox).toBe('gvisor');
    expect(space.spec.network.preset).toBe('isolated');
  });

  it('shows a Deployment made outside the editor in the tree, the dashboard and the status bar, without a refresh', async () => {
    await ui().clearNotifications();
    // Selecting a Space makes it the one the status bar follows.
    await ui().row('Space web').click();
    await ui().rowAction(ui().row('Space web'), 'Open Usage Dashboard');
    const cpuBar = ui().webview().locator('.bar-row[data-resource="requests.cpu"] .bar-numbers');
    await cpuBar.filter({ hasText: 'used 0 ·' }).waitFor();

    await admin.makeApiClient(AppsV1Api).createNamespacedDeployment({ namespace: `${org}--payments--web`, body: webDeployment(1) });

    // The container's default request (100m, from the Space's LimitRange) shows up by itself.
    await ui().row('Space web, Ready, cpu 100m/1').waitFor({ timeout: 120_000 });
    await cpuBar.filter({ hasText: 'used 100m' }).waitFor({ timeout: 120_000 });
    expect(await cpuBar.textContent()).toContain('budget 1');
    await ui().page.locator('.statusbar').getByText(/web\s+cpu 100m\/1/).waitFor({ timeout: 120_000 });
    // The meter's resource-minutes for a chosen period, read from the operator (spacekit.operatorUrl).
    const report = ui().webview().locator('#report');
    const metered = await eventually(
      'metered core-minutes for the last hour',
      async () => {
        await ui().webview().getByRole('radio', { name: '1 hour' }).click();
        await report.filter({ hasText: 'meter coverage' }).waitFor();
        const text = (await report.textContent()) ?? '';
        return text.includes('core-minutes') ? text : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 3000 },
    );
    expect(metered).toMatch(/cpu\s*[\d.]+\s*core-minutes/);
    await ui().screenshot('dashboard');
    // Under its strict CSP the page still got what it needs: its script ran (the bars above), its
    // stylesheet applied (theme colours on the bars) and the codicon font shipped in the .vsix loaded.
    expect(await ui().computedStyle(ui().webview().locator('.bar-row .bar .used').first(), 'fill')).not.toMatch(/^(rgb\(0, 0, 0\)|none|)$/);
    expect(await ui().fontStatus(ui().webview().locator('body'), 'codicon')).toEqual(['loaded']);

    // The tenant's dashboard adds what its Spaces hold: web 1 and preview 500m of its 3 cores.
    await ui().rowAction(ui().row('Tenant payments'), 'Open Usage Dashboard');
    await ui().webview().getByText('Tenant ' + `${org}/payments`).waitFor();
    await ui().webview().locator('.bar-row[data-resource="requests.cpu"] .bar-numbers').filter({ hasText: 'used 100m · allocated 1.5 · budget 3 · free 1.5' }).waitFor();
    expect(await ui().webview().locator('#children tr').allTextContents()).toEqual([expect.stringMatching(/preview\s*Space\s*cpu 0\/500m/), expect.stringMatching(/web\s*Space\s*cpu 100m\/1/)]);
    await ui().screenshot('dashboard-tenant');
  });

  it('opens a terminal whose KUBECONFIG works in that Space and nowhere else', async () => {
    await ui().openViewContainer('Spacekit');
    await ui().contextMenu(ui().row('Space web'), 'Open Terminal in Space');
    await ui().page.getByRole('tab', { name: /Space web/ }).or(ui().page.locator('.single-terminal-tab', { hasText: 'Space web' })).first().waitFor();
    const out = mkdtempSync(join(tmpdir(), 'spacekit-e2e-term-'));
    cleanups.push(() => rmSync(out, { recursive: true, force: true }));
    await ui().typeInTerminal(`echo "$KUBECONFIG" > ${out}/kubeconfig-path`);
    const path = await eventually('the terminal to answer', async () => {
      const text = existsSync(join(out, 'kubeconfig-path')) ? readFileSync(join(out, 'kubeconfig-path'), 'utf8').trim() : '';
      return text || undefined;
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const scoped = new KubeConfig();
    scoped.loadFromFile(path);
    expect(scoped.getContextObject(scoped.getCurrentContext())?.namespace).toBe(`${org}--payments--web`);
    const core = scoped.makeApiClient(CoreV1Api);
    expect((await core.listNamespacedPod({ namespace: `${org}--payments--web` })).items.length).toBeGreaterThan(0);
    await expectStatus(core.listNamespacedPod({ namespace: `${org}--payments--preview` }), 403);
    await expectStatus(core.listNamespacedPod({ namespace: `${org}--billing--ledger` }), 403);
  });

  it('shows a welcome with the next step when the kubeconfig is gone or its cluster cannot be reached, and recovers', async () => {
    // The extension follows its kubeconfig file, as `kubectl config use-context` or the Kubernetes extension rewrite it.
    const original = readFileSync(tinaKubeconfig, 'utf8');
    const welcome = ui().page.locator('.welcome-view-content');
    await ui().openViewContainer('Spacekit');

    rmSync(tinaKubeconfig);
    await welcome.filter({ hasText: 'No kubeconfig was found' }).waitFor();
    expect(await welcome.getByRole('button', { name: 'Select Kubeconfig…' }).count()).toBe(1);
    await ui().screenshot('welcome-no-kubeconfig');

    // A server that does not answer: the welcome says so and offers another context.
    const kc = impersonating(admin, tina);
    kc.clusters = kc.clusters.map((c) => ({ ...c, server: 'https://127.0.0.1:9' }));
    writeFileSync(tinaKubeconfig, kc.exportConfig(), { mode: 0o600 });
    await welcome.filter({ hasText: 'The cluster could not be reached' }).waitFor();
    expect(await welcome.getByRole('button', { name: 'Switch Context…' }).count()).toBe(1);

    writeFileSync(tinaKubeconfig, original, { mode: 0o600 });
    await ui().row('Space web, Ready').waitFor();
  });

  it('deletes a Space after confirmation, and it leaves the tree', async () => {
    await ui().openViewContainer('Spacekit');
    await ui().contextMenu(ui().row('Space preview'), 'Delete Space…');
    await ui().dialogButton('Delete');
    await ui().row('Space preview').waitFor({ state: 'detached', timeout: 180_000 });
    expect(await spaceExists(preview)).toBe(false);
    expect(await ui().row('Space web').count()).toBe(1);
  });
});
