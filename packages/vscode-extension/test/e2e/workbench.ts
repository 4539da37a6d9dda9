import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type FrameLocator, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium, as `scripts/bootstrap.sh` installs it (`$SPACEKIT_CHROMIUM` overrides). */
export const CHROMIUM = process.env.SPACEKIT_CHROMIUM ?? '/usr/bin/chromium';

/** Flags that keep Chromium quiet and offline, as RECIPES.md lists them. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** How long one UI wait may take; it only bounds a hung run. */
const WAIT_MS = 60_000;

/** Bounds one click on a context menu entry and the wait for the menu to close after it. */
const MENU_CLICK_MS = 5_000;
const MENU_CLICK_ATTEMPTS = 5;

/**
 * The VS Code workbench in a browser page: the few gestures the end-to-end
 * test needs (open a view, run a command, answer a quick input, use a
 * context menu or dialog, read a webview), each waiting for the UI it acts on.
 */
export class Workbench {
  readonly page: Page;
  readonly #browser: Browser;
  readonly #artifacts: string;

  private constructor(browser: Browser, page: Page, artifacts: string) {
    this.#browser = browser;
    this.page = page;
    this.#artifacts = artifacts;
  }

  /** Opens code-server's workbench on `folder` and waits until it has rendered. */
  static async open(url: string, folder: string, artifacts: string): Promise<Workbench> {
    mkdirSync(artifacts, { recursive: true });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    // Copy Scoped Kubeconfig writes the browser's clipboard; the test reads it back.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
    page.setDefaultTimeout(WAIT_MS);
    await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
    await page.locator('.monaco-workbench').waitFor();
    const workbench = new Workbench(browser, page, artifacts);
    return workbench;
  }

  /** Clicks the activity-bar entry of a view container, such as "Spacekit". */
  async openViewContainer(name: string): Promise<void> {
    const tab = this.page.locator('.activitybar').getByRole('tab', { name: new RegExp(`^${name}`) });
    await tab.waitFor();
    if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
  }

  /** A tree row, by the start of its accessible label (the extension sets it: `Space web, Ready, cpu 0/1 · mem 0/2Gi`). */
  row(labelStart: string): Locator {
    return this.page.getByRole('treeitem', { name: new RegExp(`^${escapeRegExp(labelStart)}`) });
  }

  /** The accessible labels of every row of the tree whose view has this title. */
  async rowLabels(view: string): Promise<string[]> {
    const pane = this.page
      .locator('.pane')
      .filter({ has: this.page.locator('.pane-header', { hasText: new RegExp(`^\\s*${escapeRegExp(view)}`, 'i') }) });
    const rows = pane.getByRole('treeitem');
    return (await rows.evaluateAll((elements) => elements.map((e) => e.getAttribute('aria-label') ?? ''))).filter(Boolean);
  }

  /** Runs a command from the palette by its title, such as "Spacekit: Create Space…". */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.quickInputBox();
    await input.waitFor();
    await input.fill(`>${title}`);
    const item = this.quickInputRow(title);
    await item.first().waitFor();
    await this.page.keyboard.press('Enter');
  }

  /** The quick input's text box. */
  quickInputBox(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-box input');
  }

  /** A row of the quick pick list, by the start of its label. */
  quickInputRow(labelStart: string): Locator {
    return this.page.locator('.quick-input-widget .quick-input-list').getByRole('option', { name: new RegExp(escapeRegExp(labelStart)) });
  }

  /** The quick input's title (with its step, such as "Create Space (2/5)"). */
  async quickInputTitle(): Promise<string> {
    return (await this.page.locator('.quick-input-widget .quick-input-title').textContent()) ?? '';
  }

  /** The quick input's validation or prompt message, as shown. */
  async quickInputMessage(): Promise<string> {
    return (await this.page.locator('.quick-input-widget .quick-input-message').textContent()) ?? '';
  }

  /** Whether the quick input is showing. */
  async quickInputVisible(): Promise<boolean> {
    return this.page.locator('.quick-input-widget').isVisible();
  }

  /** Waits for a quick input step whose title contains `text`. */
  async waitForStep(text: string): Promise<void> {
    await this.page.locator('.quick-input-widget .quick-input-title', { hasText: text }).waitFor();
  }

  /** Types into the quick input, replacing what is there. */
  async typeInQuickInput(text: string): Promise<void> {
    const input = this.quickInputBox();
    await input.fill(text);
  }

  /** Chooses a quick pick row by label. */
  async pick(labelStart: string): Promise<void> {
    const row = this.quickInputRow(labelStart).first();
    await row.waitFor();
    await row.click();
  }

  /** Widens the primary side bar by dragging its edge, so that tree descriptions show in full. */
  async widenSideBar(by: number): Promise<void> {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    if (!box) throw new Error('no side bar');
    const x = box.x + box.width + 1;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + by, y, { steps: 8 });
    await this.page.mouse.up();
  }

  /** Clears every notification toast (they would cover screenshots). */
  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
  }

  /** Hovers a tree row and returns the hover (its tooltip) once it shows. */
  async hover(row: Locator): Promise<Locator> {
    await row.hover();
    const hover = this.page.locator('.monaco-hover').filter({ visible: true });
    await hover.first().waitFor();
    return hover.first();
  }

  /** Clicks one of a tree row's inline action buttons (they show on hover), by its title. */
  async rowAction(row: Locator, title: string): Promise<void> {
    await row.hover();
    const button = row.getByRole('button', { name: title });
    await button.waitFor();
    await button.click();
  }

  /** Right-clicks a tree row and chooses a context menu entry. */
  async contextMenu(row: Locator, entry: string): Promise<void> {
    const menu = this.page.locator('.context-view .monaco-menu');
    // A menu left open (by a test that failed half-way) would swallow the right-click.
    if (await menu.isVisible()) await this.page.keyboard.press('Escape');
    await row.click({ button: 'right' });
    const item = menu.getByRole('menuitem', { name: new RegExp(`^${escapeRegExp(entry)}`) });
    await item.waitFor();
    // VS Code starts listening for mouseup on a menu item 100 ms after rendering it
    // (runOnceToEnableMouseUp), so on a busy machine a click can land before anyone
    // listens and the menu just stays open. Click until the menu closes.
    for (let attempt = 1; ; attempt++) {
      await item.click({ timeout: MENU_CLICK_MS }).catch(() => undefined);
      const closed = await menu.waitFor({ state: 'hidden', timeout: MENU_CLICK_MS }).then(
        () => true,
        () => false,
      );
      if (closed) return;
      if (attempt === MENU_CLICK_ATTEMPTS) throw new Error(`the context menu entry "${entry}" did not run after ${attempt} clicks`);
    }
  }

  /** The entries of a tree row's context menu (the menu is closed again). */
  async contextMenuEntries(row: Locator): Promise<string[]> {
    const menu = this.page.locator('.context-view .monaco-menu');
    if (await menu.isVisible()) await this.page.keyboard.press('Escape');
    await row.click({ button: 'right' });
    await menu.getByRole('menuitem').first().waitFor();
    const entries = await menu
      .getByRole('menuitem')
      .evaluateAll((items) => items.map((i) => (i.getAttribute('aria-label') ?? i.textContent ?? '').trim()));
    await this.page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });
    return entries;
  }

  /** The titles of a tree row's inline action buttons (they show on hover). */
  async rowActions(row: Locator): Promise<string[]> {
    await row.hover();
    const buttons = row.getByRole('button');
    return (
      await buttons.evaluateAll((elements) => elements.map((e) => e.getAttribute('aria-label') ?? e.getAttribute('title') ?? ''))
    ).filter(Boolean);
  }

  /** The titles the command palette offers for a search, such as "Spacekit:". */
  async paletteEntries(search: string): Promise<string[]> {
    await this.page.keyboard.press('F1');
    const input = this.quickInputBox();
    await input.waitFor();
    await input.fill(`>${search}`);
    const list = this.page.locator('.quick-input-widget .quick-input-list');
    await list.getByRole('option').first().waitFor();
    const entries = await list
      .getByRole('option')
      .evaluateAll((options) => options.map((o) => (o.getAttribute('aria-label') ?? o.textContent ?? '').trim()));
    await this.page.keyboard.press('Escape');
    return entries;
  }

  /** A notification toast whose text contains `text`. */
  toast(text: string | RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-toast').filter({ hasText: text });
  }

  /** What the page's clipboard holds. */
  async clipboard(): Promise<string> {
    return this.page.evaluate(() => navigator.clipboard.readText());
  }

  /** Clicks an editor tab by its title. */
  async editorTab(title: string): Promise<void> {
    await this.page.locator('.tabs-container .tab').filter({ hasText: title }).first().click();
  }

  /** Clicks a button of the modal dialog. */
  async dialogButton(name: string): Promise<void> {
    const button = this.page.locator('.monaco-dialog-box').getByRole('button', { name });
    await button.waitFor();
    await button.click();
  }

  /** Types a line into the focused terminal and presses Enter. */
  async typeInTerminal(line: string): Promise<void> {
    const input = this.page
      .locator('.terminal-wrapper.active .xterm-helper-textarea, .terminal.xterm.focus .xterm-helper-textarea')
      .first();
    await input.waitFor({ state: 'attached' });
    await input.focus();
    await this.page.keyboard.type(line);
    await this.page.keyboard.press('Enter');
  }

  /** A CSS property of an element as the browser computed it (to see that a stylesheet applied). */
  async computedStyle(element: Locator, property: string): Promise<string> {
    return element.evaluate((el, name) => getComputedStyle(el).getPropertyValue(name), property);
  }

  /** The load status of each font face of a family in the element's document (to see that a font was allowed and loaded). */
  async fontStatus(element: Locator, family: string): Promise<string[]> {
    return element.evaluate(async (_, name) => {
      await document.fonts.ready;
      return [...document.fonts].filter((face) => face.family.replace(/"/g, '') === name).map((face) => face.status);
    }, family);
  }

  /** The page inside the visible webview panel, past VS Code's two iframes. */
  webview(): FrameLocator {
    return this.page.locator('iframe.webview.ready').filter({ visible: true }).contentFrame().locator('#active-frame').contentFrame();
  }

  /** Saves a screenshot of the page (or of a region of it) as `<name>.png` under the artifacts folder; returns its path. */
  async screenshot(name: string, clip?: { x: number; y: number; width: number; height: number }): Promise<string> {
    const path = join(this.#artifacts, `${name}.png`);
    await this.page.screenshot({ path, ...(clip && { clip }) });
    return path;
  }

  async close(): Promise<void> {
    await this.#browser.close();
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
