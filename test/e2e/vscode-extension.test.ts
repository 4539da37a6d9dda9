import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { allocationsOf } from '../support/allocations.ts';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppsV1Api, CoreV1Api, KubeConfig, VersionApi } from '@kubernetes/client-node';
import { NotFoundError, type Spacekit } from '@spacekit/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CodeServer, codeServerBinary, startCodeServer } from '../../packages/vscode-extension/test/e2e/codeServer.ts';
import { Workbench } from '../../packages/vscode-extension/test/e2e/workbench.ts';
import { packageExtension } from '../../packages/vscode-extension/scripts/package.ts';
import { ensureKubectl } from '../bench/kubectl.ts';
import { type CertificateUser, certificateUser } from '../support/client-certs.ts';
import { adminKubeConfig, eventually, expectStatus, uniqueName, webDeployment } from '../support/kube.ts';
import { adminKitWithOperator, type OperatorProcess, operatorKubeconfig, startOperator } from '../support/operator.ts';

// The extension in a real VS Code (code-server), driven through Chromium,
// against the real control plane and the real operator, by users who sign in
// with client certificates the cluster signed (not impersonation): a tenant
// admin who may read only her own Tenant, a developer and a viewer of one
// Space. One organization that only this file's operator looks after; the
// user is switched by rewriting the kubeconfig file the extension follows.
const shard = uniqueName('vsc');
const org = shard;
const SHARD_LABEL = 'e2e.spacekit.example/shard';
const tina = `tina-${shard}`;
const dave = `dave-${shard}`;
const vera = `vera-${shard}`;
const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts/vscode-extension');
const admin = adminKubeConfig();
const web = { organization: org, tenant: 'payments', name: 'web' };
const preview = { organization: org, tenant: 'payments', name: 'preview' };

let kit: Spacekit;
let operator: OperatorProcess;
let codeServer: CodeServer | undefined;
let workbench: Workbench | undefined;
/** The kubeconfig file the extension is set to follow; writing another user's into it switches users. */
let userKubeconfig = '';
let kubectl = '';
const users: Partial<Record<'tina' | 'dave' | 'vera', CertificateUser>> = {};
const cleanups: (() => void)[] = [];

const user = (who: 'tina' | 'dave' | 'vera'): CertificateUser => {
  const found = users[who];
  if (!found) throw new Error(`${who} was not made`);
  return found;
};

/** Signs in as another user, as `kubectl config use-context` or a new kubeconfig would. */
function signInAs(who: 'tina' | 'dave' | 'vera'): void {
  writeFileSync(userKubeconfig, user(who).kubeconfig, { mode: 0o600 });
}

/** WCAG's contrast ratio of two `rgb(…)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r = 0, g = 0, bl = 0] = (css.match(/[\d.]+/g) ?? []).map(Number).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
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
  await kit.tenants.create({
    organization: org,
    name: 'payments',
    resources: { cpu: 3, memory: '6Gi' },
    members: [{ kind: 'User', name: tina, role: 'admin' }],
  });
  await kit.tenants.create({
    organization: org,
    name: 'billing',
    resources: { cpu: 1, memory: '2Gi' },
    members: [{ kind: 'User', name: `bob-${shard}`, role: 'admin' }],
  });
  await kit.spaces.create({
    ...web,
    resources: { cpu: 1, memory: '2Gi' },
    members: [
      { kind: 'User', name: dave, role: 'developer' },
      { kind: 'User', name: vera, role: 'viewer' },
    ],
  });
  await kit.spaces.create({ organization: org, tenant: 'billing', name: 'ledger', resources: { cpu: '500m', memory: '1Gi' } });
  const operatorConfig = await operatorKubeconfig(admin);
  cleanups.push(operatorConfig.remove);
  // The meter writes minute buckets into the cluster, where the signed-in user reads them with their own rights.
  operator = await startOperator({
    kubeconfigPath: operatorConfig.path,
    organizationSelector: `${SHARD_LABEL}=${shard}`,
    meterIntoCluster: true,
    meterInterval: '2s',
  });

  users.tina = await certificateUser(admin, tina, { namespace: `${org}--payments` });
  users.dave = await certificateUser(admin, dave, { namespace: `${org}--payments--web` });
  users.vera = await certificateUser(admin, vera, { namespace: `${org}--payments--web` });
  const kubeconfigDir = mkdtempSync(join(tmpdir(), 'spacekit-e2e-kc-'));
  cleanups.push(() => rmSync(kubeconfigDir, { recursive: true, force: true }));
  userKubeconfig = join(kubeconfigDir, 'user.kubeconfig');
  signInAs('tina');
  kubectl = await ensureKubectl((await admin.makeApiClient(VersionApi).getCode()).gitVersion);

  const { vsix } = await packageExtension();
  vsixPath = vsix;
  await launch('Default Dark Modern');
});

let vsixPath = '';

/** Starts code-server with the extension in a colour theme (a theme set before start applies for sure), and opens its workbench. */
async function launch(theme: string): Promise<void> {
  codeServer = await startCodeServer({
    binary: codeServerBinary(),
    vsix: vsixPath,
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
      'workbench.colorTheme': theme,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'spacekit.kubeconfig': userKubeconfig,
    },
  });
  workbench = await Workbench.open(codeServer.url, codeServer.workspace, ARTIFACTS);
}

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

/** Waits until the extension has asked the API server what the user may do (the menus follow its answer). */
async function rightsReviewed(): Promise<void> {
  await eventually('the rights review', async () => (/rights reviewed at [1-9]/.test(spacekitLog()) ? true : undefined));
}

/** Waits until the extension uses the user's context (named after the user) and has asked what they may do there. */
async function signedIn(name: string): Promise<void> {
  await eventually(
    `the extension to sign in as ${name}`,
    async () => (spacekitLog().split(`context ${name}`).at(1)?.includes('rights reviewed') ? true : undefined),
    { timeoutMs: 60_000 },
  );
}

/** Waits until a row's context menu offers an entry: the menus follow the rights, which are reviewed after each (re)connection. */
async function offered(row: string, entry: string): Promise<void> {
  await eventually(
    `"${entry}" on ${row}`,
    async () => ((await ui().contextMenuEntries(ui().row(row))).some((e) => e.startsWith(entry)) ? true : undefined),
    { timeoutMs: 60_000, intervalMs: 1000 },
  );
}

describe('the Spacekit extension in VS Code (code-server), as a tenant admin signed in with a client certificate', () => {
  it('lists the organization, the tenant and its Spaces the user may see, and nothing of another tenant', async () => {
    await ui().openViewContainer('Spacekit');
    await ui().row('Space web, Ready').waitFor();
    await rightsReviewed();
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
    await eventually('the watches to stop', async () =>
      spacekitLog().includes('watches stopped: the Spaces view is hidden') ? true : undefined,
    );
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
    expect((await allocationsOf(kit, { organization: org, tenant: 'payments' })).preview).toBeUndefined();
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
    await ui()
      .page.locator('.statusbar')
      .getByText(/web\s+cpu 100m\/1/)
      .waitFor({ timeout: 120_000 });
    // The meter's resource-minutes for a chosen period, read from the cluster as tina, a tenant admin with no
    // service-proxy rights. The meter writes a minute once it has passed, so the first can take a minute to come.
    const report = ui().webview().locator('#report');
    for (const period of ['1 hour', '24 hours']) {
      const metered = await eventually(
        `metered core-minutes for the last ${period}`,
        async () => {
          await ui().webview().getByRole('radio', { name: period }).click();
          await report.filter({ hasText: 'meter coverage' }).waitFor();
          const text = (await report.textContent()) ?? '';
          const minutes = /cpu\s*([\d.]+)\s*core-minutes/.exec(text)?.[1];
          return minutes !== undefined && Number(minutes) > 0 ? text : undefined;
        },
        { timeoutMs: 150_000, intervalMs: 3000 },
      );
      expect(metered).toMatch(/cpu\s*[\d.]+\s*core-minutes/);
    }
    await ui().screenshot('dashboard');
    // Under its strict CSP the page still got what it needs: its script ran (the bars above), its
    // stylesheet applied (theme colours on the bars) and the codicon font shipped in the .vsix loaded.
    expect(await ui().computedStyle(ui().webview().locator('.bar-row .bar .used').first(), 'fill')).not.toMatch(/^(rgb\(0, 0, 0\)|none|)$/);
    expect(await ui().fontStatus(ui().webview().locator('body'), 'codicon')).toEqual(['loaded']);

    // The tenant's dashboard adds what its Spaces hold: web 1 and preview 500m of its 3 cores.
    await ui().rowAction(ui().row('Tenant payments'), 'Open Usage Dashboard');
    await ui().webview().getByText(`Tenant ${org}/payments`).waitFor();
    await ui()
      .webview()
      .locator('.bar-row[data-resource="requests.cpu"] .bar-numbers')
      .filter({ hasText: 'used 100m · allocated 1.5 · budget 3 · free 1.5' })
      .waitFor();
    expect(await ui().webview().locator('#children tr').allTextContents()).toEqual([
      expect.stringMatching(/preview\s*Space\s*cpu 0\/500m/),
      expect.stringMatching(/web\s*Space\s*cpu 100m\/1/),
    ]);
    await ui().screenshot('dashboard-tenant');
  });

  it('keeps the chart of a dashboard in a background tab right: it ends at the current usage when shown again', async () => {
    await ui().clearNotifications();
    await ui().openViewContainer('Spacekit');
    await ui().rowAction(ui().row('Space web'), 'Open Usage Dashboard');
    const cpuLine = () => ui().webview().locator('polyline[data-resource="requests.cpu"]');
    await cpuLine().and(ui().webview().locator('[data-last-percent="10"]')).waitFor();
    // Another dashboard in the same editor group hides the first one's tab.
    await ui().rowAction(ui().row('Tenant payments'), 'Open Usage Dashboard');
    await ui().webview().getByText(`Tenant ${org}/payments`).waitFor();
    const apps = admin.makeApiClient(AppsV1Api);
    const namespace = `${org}--payments--web`;
    for (const replicas of [2, 3]) {
      await apps.patchNamespacedDeploymentScale({
        name: 'web',
        namespace,
        body: [{ op: 'replace', path: '/spec/replicas', value: replicas }],
      });
      await eventually(
        `${replicas} replicas counted`,
        async () =>
          (await kit.usage.snapshot({ organization: org, tenant: 'payments', space: 'web' })).root.used['requests.cpu'] ===
          `${replicas * 100}m`
            ? true
            : undefined,
        { timeoutMs: 120_000 },
      );
    }
    await ui().editorTab(`Usage: ${org}/payments/web`);
    const last = await eventually(
      'the chart to end at 30 %',
      async () => {
        const value = await cpuLine()
          .getAttribute('data-last-percent', { timeout: 5000 })
          .catch(() => undefined);
        return value === '30' ? value : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(Number(last)).toBe(30);
    expect(await ui().webview().locator('.history-source').textContent()).toContain('As this window has seen it since');
    // The period control is a radio group: the arrows move the choice.
    await ui().webview().getByRole('radio', { name: '1 hour' }).focus();
    await ui().page.keyboard.press('ArrowRight');
    await ui().webview().getByRole('radio', { name: '24 hours', checked: true }).waitFor();
  });

  it('warns before shrinking a Space below what it uses, and Cancel changes nothing', async () => {
    await ui().openViewContainer('Spacekit');
    const before = (await kit.spaces.get(web)).spec.resources;
    await ui().contextMenu(ui().row('Space web'), 'Resize Space…');
    await ui().waitForStep('Resize Space');
    expect(await ui().quickInputTitle()).not.toMatch(/\(1\/1\)/);
    await ui().pick('Custom size…');
    await ui().quickInputBox().filter({ visible: true }).waitFor();
    await ui().typeInQuickInput('cpu=200m memory=2Gi');
    await ui().page.keyboard.press('Enter');
    const dialog = ui().page.locator('.monaco-dialog-box');
    await dialog.filter({ hasText: 'below what it uses now' }).waitFor();
    expect(await dialog.textContent()).toContain('cpu 200m < 300m used');
    await ui().screenshot('resize-below-usage');
    await ui().dialogButton('Cancel');
    await dialog.waitFor({ state: 'hidden' });
    expect((await kit.spaces.get(web)).spec.resources).toEqual(before);
  });

  it('saves a scoped kubeconfig outside the workspace by default, readable by its owner only', async () => {
    await ui().clearNotifications();
    await ui().contextMenu(ui().row('Space web'), 'Save Scoped Kubeconfig…');
    const path = join(codeServer?.home ?? '', '.kube', 'spacekit', `${org}--payments--web.kubeconfig`);
    // VS Code's own save dialog in a browser: a quick input holding the proposed path.
    await eventually('the proposed path', async () =>
      (await ui().quickInputBox().inputValue()).endsWith(`.kube/spacekit/${org}--payments--web.kubeconfig`) ? true : undefined,
    );
    await ui().page.keyboard.press('Enter');
    await ui().toast('Saved a kubeconfig for Space').waitFor();
    expect(path.startsWith(codeServer?.workspace ?? '/')).toBe(false);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const saved = new KubeConfig();
    saved.loadFromFile(path);
    await expectStatus(saved.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: `${org}--payments--preview` }), 403);
    expect((await saved.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: `${org}--payments--web` })).items.length).toBe(3);
  });

  it('opens a terminal whose KUBECONFIG works in that Space and nowhere else', async () => {
    await ui().openViewContainer('Spacekit');
    await ui().contextMenu(ui().row('Space web'), 'Open Terminal in Space');
    await ui()
      .page.getByRole('tab', { name: /Space web/ })
      .or(ui().page.locator('.single-terminal-tab', { hasText: 'Space web' }))
      .first()
      .waitFor();
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
    // A tenant admin's terminal gets credentials issued for the Space, narrower than her own.
    expect(scoped.getCurrentUser()?.token).toBeTruthy();
    await expectStatus(core.listNamespacedPod({ namespace: `${org}--payments--preview` }), 403);
    await expectStatus(core.listNamespacedPod({ namespace: `${org}--billing--ledger` }), 403);
  });

  it('shows a welcome with the next step when the kubeconfig is gone or its cluster cannot be reached, and recovers', async () => {
    // The extension follows its kubeconfig file, as `kubectl config use-context` or the Kubernetes extension rewrite it.
    const original = readFileSync(userKubeconfig, 'utf8');
    const welcome = ui().page.locator('.welcome-view-content');
    await ui().openViewContainer('Spacekit');

    rmSync(userKubeconfig);
    await welcome.filter({ hasText: 'No kubeconfig was found' }).waitFor();
    expect(await welcome.getByRole('button', { name: 'Select Kubeconfig…' }).count()).toBe(1);
    await ui().screenshot('welcome-no-kubeconfig');

    // A server that does not answer: the welcome says so and offers another context.
    const kc = new KubeConfig();
    kc.loadFromString(user('tina').kubeconfig);
    kc.clusters = kc.clusters.map((c) => ({ ...c, server: 'https://127.0.0.1:9' }));
    writeFileSync(userKubeconfig, kc.exportConfig(), { mode: 0o600 });
    await welcome.filter({ hasText: 'The cluster could not be reached' }).waitFor();
    expect(await welcome.getByRole('button', { name: 'Switch Context…' }).count()).toBe(1);

    writeFileSync(userKubeconfig, original, { mode: 0o600 });
    await ui().row('Space web, Ready').waitFor();
  });

  it('deletes a Space after confirmation, and it leaves the tree', async () => {
    await ui().openViewContainer('Spacekit');
    await offered('Space preview', 'Delete Space…');
    await ui().contextMenu(ui().row('Space preview'), 'Delete Space…');
    await ui().dialogButton('Delete');
    await ui().row('Space preview').waitFor({ state: 'detached', timeout: 180_000 });
    expect(await spaceExists(preview)).toBe(false);
    expect(await ui().row('Space web').count()).toBe(1);
  });
});

const WRITES = ['Create Space…', 'Resize Space…', 'Delete Space…'];

/**
 * A row's context menu once it offers no write. The row is rebuilt (debounced)
 * after the server has said what the new user may do; until then it may still
 * show the last user's menu. A menu that keeps offering a write fails the wait.
 */
async function menuWithoutWrites(row: string): Promise<string[]> {
  return eventually(
    `the menu of ${row} without writes`,
    async () => {
      const found = await ui().contextMenuEntries(ui().row(row));
      return WRITES.some((write) => found.some((e) => e.startsWith(write))) ? undefined : found;
    },
    { timeoutMs: 30_000, intervalMs: 1000 },
  );
}

describe('the Spacekit extension, as a developer of one Space signed in with a client certificate', () => {
  it('shows his Space with its usage, and offers no Create, Resize or Delete', async () => {
    signInAs('dave');
    await ui().openViewContainer('Spacekit');
    await signedIn(dave);
    await ui().row('Space web, Ready, cpu 300m/1').waitFor({ timeout: 120_000 });
    const entries = await menuWithoutWrites('Space web');
    for (const wanted of ['Open Usage Dashboard', 'Open Terminal in Space', 'Copy Scoped Kubeconfig', 'Save Scoped Kubeconfig…']) {
      expect(entries.some((e) => e.startsWith(wanted))).toBe(true);
    }
    expect(await ui().rowActions(ui().row('Space web'))).not.toContain('Create Space…');
    const palette = await ui().paletteEntries('Spacekit:');
    for (const write of WRITES) expect(palette.some((e) => e.includes(write))).toBe(false);
    const tooltip = await ui().hover(ui().row('Space web'));
    await tooltip.filter({ hasText: 'You may not resize or delete it' }).waitFor();
    await ui().page.mouse.move(900, 600);
    await ui().screenshot('developer-tree');
  });

  it('opens a terminal where kubectl works in his Space and is refused in another', async () => {
    const serviceAccounts = async () =>
      (await admin.makeApiClient(CoreV1Api).listNamespacedServiceAccount({ namespace: `${org}--payments--web` })).items
        .map((a) => a.metadata?.name)
        .sort();
    const accountsBefore = await serviceAccounts();
    await ui().clearNotifications();
    await ui().contextMenu(ui().row('Space web'), 'Open Terminal in Space');
    // The tenant admin's terminal is still open: with two, VS Code lists them beside the panel.
    await eventually('his terminal', async () =>
      (await ui().page.locator('.terminal-tabs-entry', { hasText: 'Space web' }).count()) >= 2 ? true : undefined,
    );
    const out = mkdtempSync(join(tmpdir(), 'spacekit-e2e-term-'));
    cleanups.push(() => rmSync(out, { recursive: true, force: true }));
    await ui().typeInTerminal(
      `${kubectl} get pods > ${out}/mine 2>&1; echo $? > ${out}/mine.rc; ${kubectl} get pods -n ${org}--payments--preview > ${out}/other 2>&1; echo $? > ${out}/other.rc`,
    );
    const read = (name: string) => (existsSync(join(out, name)) ? readFileSync(join(out, name), 'utf8').trim() : '');
    await eventually('the terminal to answer', async () => (read('other.rc') ? true : undefined), { timeoutMs: 60_000 });
    expect(read('mine.rc')).toBe('0');
    expect(read('mine')).toMatch(/^NAME\s+READY/);
    expect(read('other.rc')).not.toBe('0');
    expect(read('other')).toContain('Forbidden');
    // His own identity: nothing was made for him.
    expect(await serviceAccounts()).toEqual(accountsBefore);
  });

  it('copies and saves a kubeconfig that works in his Space', async () => {
    await ui().clearNotifications();
    await ui().contextMenu(ui().row('Space web'), 'Copy Scoped Kubeconfig');
    await ui().toast('Copied a kubeconfig for Space').waitFor();
    const copied = new KubeConfig();
    copied.loadFromString(await ui().clipboard());
    expect(copied.getContextObject(copied.getCurrentContext())?.namespace).toBe(`${org}--payments--web`);
    expect((await copied.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: `${org}--payments--web` })).items.length).toBe(3);
    await expectStatus(copied.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: `${org}--payments--preview` }), 403);

    await ui().clearNotifications();
    const path = join(codeServer?.home ?? '', '.kube', 'spacekit', `${org}--payments--web.kubeconfig`);
    // The tenant admin saved hers there; this is another user's home in real life.
    rmSync(path, { force: true });
    await ui().contextMenu(ui().row('Space web'), 'Save Scoped Kubeconfig…');
    await eventually('the proposed path', async () =>
      (await ui().quickInputBox().inputValue()).endsWith('.kubeconfig') ? true : undefined,
    );
    await ui().page.keyboard.press('Enter');
    await ui().toast('Saved a kubeconfig for Space').waitFor();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const saved = new KubeConfig();
    saved.loadFromFile(path);
    expect(saved.getCurrentUser()?.certData).toBe(user('dave').kubeConfig.getCurrentUser()?.certData);
  });

  it('shows what the API server refuses in words, not its raw message, when a right is taken away mid-session', async () => {
    await ui().clearNotifications();
    await kit.spaces.update(web, { members: [{ kind: 'User', name: vera, role: 'viewer' }] });
    const daveCore = user('dave').kubeConfig.makeApiClient(CoreV1Api);
    await eventually(
      'dave to lose the Space',
      async () =>
        await daveCore.listNamespacedPod({ namespace: `${org}--payments--web` }).then(
          () => undefined,
          () => true,
        ),
      { timeoutMs: 120_000 },
    );
    await ui().contextMenu(ui().row('Space web'), 'Copy Scoped Kubeconfig');
    const toast = ui().toast('Could not copy a kubeconfig');
    await toast.waitFor();
    const text = (await toast.textContent()) ?? '';
    expect(text).toMatch(/you may not do this \(the API server refused it\)|it no longer exists, or you may no longer read it/);
    expect(text).not.toContain('is forbidden: User');
    expect(await toast.getByRole('button', { name: 'Refresh' }).count()).toBe(1);
    await ui().screenshot('mapped-forbidden');
    expect(spacekitLog()).toMatch(/forbidden/i);
    await kit.spaces.update(web, {
      members: [
        { kind: 'User', name: dave, role: 'developer' },
        { kind: 'User', name: vera, role: 'viewer' },
      ],
    });
  });
});

describe('the Spacekit extension, as a viewer of one Space signed in with a client certificate', () => {
  it("sees the Space's usage, and is offered no action that writes", async () => {
    await ui().clearNotifications();
    signInAs('vera');
    await ui().openViewContainer('Spacekit');
    await signedIn(vera);
    await ui().row('Space web, Ready, cpu 300m/1').waitFor({ timeout: 120_000 });
    const entries = await menuWithoutWrites('Space web');
    expect(entries.some((e) => e.startsWith('Open Usage Dashboard'))).toBe(true);
    const palette = await ui().paletteEntries('Spacekit:');
    for (const write of WRITES) expect(palette.some((e) => e.includes(write))).toBe(false);
    // From the keyboard: Enter on a selected row opens its dashboard.
    await ui().runCommand('View: Close All Editors');
    await ui().page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
    await ui().row('Space web').click();
    await ui().page.keyboard.press('Enter');
    await ui()
      .page.locator('.tabs-container .tab')
      .filter({ hasText: `Usage: ${org}/payments/web` })
      .waitFor();
    await ui().webview().locator('.bar-row[data-resource="requests.cpu"] .bar-numbers').filter({ hasText: 'used 300m' }).waitFor();
  });
});

describe('the dashboard in every kind of theme', () => {
  it('draws the budget track and its legend swatch in a colour that contrasts with the background (3:1 at least)', async () => {
    const seen: Record<string, number> = {};
    for (const [theme, file] of [
      ['Default Light Modern', 'dashboard-light'],
      ['Default High Contrast', 'dashboard-high-contrast'],
      ['Default High Contrast Light', 'dashboard-high-contrast-light'],
      ['Default Dark Modern', 'dashboard-dark'],
    ] as const) {
      await workbench?.close();
      await codeServer?.stop();
      workbench = undefined;
      codeServer = undefined;
      await launch(theme);
      await ui().openViewContainer('Spacekit');
      await ui().row('Space web, Ready').waitFor({ timeout: 120_000 });
      await ui().rowAction(ui().row('Space web'), 'Open Usage Dashboard');
      const track = ui().webview().locator('.bar-row[data-resource="requests.cpu"] .bar .budget');
      await track.waitFor();
      const stroke = await ui().computedStyle(track, 'stroke');
      const swatch = await ui().computedStyle(ui().webview().locator('.legend .swatch.budget'), 'border-top-color');
      const background = await ui().computedStyle(ui().webview().locator('body'), 'background-color');
      const [red = 0] = (background.match(/\d+/g) ?? []).map(Number);
      // The theme really applied: a light background for the light ones, a dark one for the others.
      expect(red > 128, `${theme}: background ${background}`).toBe(theme.includes('Light'));
      seen[theme] = Math.min(contrast(stroke, background), contrast(swatch, background));
      await ui().screenshot(file);
    }
    for (const [theme, ratio] of Object.entries(seen)) expect(ratio, theme).toBeGreaterThanOrEqual(3);
  });
});
