import { ForbiddenError } from '@spacekit/sdk';
import * as vscode from 'vscode';
import type { Connection } from '../../connection/Connection.ts';
import type { Log } from '../../log.ts';
import { type Scope, scopeKey, scopeLabel } from '../../model/scope.ts';
import type { Settings } from '../../settings.ts';
import { dashboardHtml, makeNonce } from './html.ts';
import { type FromDashboard, isFromDashboard, type ReportPeriod, type ToDashboard } from './protocol.ts';
import type { TreeNode } from '@spacekit/sdk';
import type { UsageHistory } from './history.ts';
import { dashboardView, reportLevel, reportView } from './view.ts';

/** Where the built dashboard files are, inside the extension. */
const MEDIA = ['dist', 'media'] as const;

/**
 * The usage dashboard of one Organization, Tenant or Space: a webview with
 * bars, a live chart and the meter's resource-minutes. It watches its scope
 * for as long as the panel is open, visible or not, so that its history has
 * every change (one watch per open dashboard); it keeps the history in the
 * extension and posts only while the page is visible, and a page rebuilt on
 * being shown again gets the whole state from one message.
 */
export class DashboardPanel implements vscode.Disposable {
  readonly scope: Scope;
  readonly #panel: vscode.WebviewPanel;
  readonly #connection: Connection;
  readonly #settings: () => Settings;
  readonly #log: Log;
  readonly #subscriptions: vscode.Disposable[] = [];
  #watch: AbortController | undefined;
  readonly #history: UsageHistory;
  #latest: { node: TreeNode; at: string } | undefined;
  #problem: string | undefined;
  readonly #disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.#disposed.event;

  constructor(extensionUri: vscode.Uri, scope: Scope, connection: Connection, settings: () => Settings, log: Log, history: UsageHistory) {
    this.scope = scope;
    this.#history = history;
    this.#connection = connection;
    this.#settings = settings;
    this.#log = log;
    const media = vscode.Uri.joinPath(extensionUri, ...MEDIA);
    this.#panel = vscode.window.createWebviewPanel('spacekit.dashboard', `Usage: ${scopeKey(scope)}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [media],
    });
    this.#panel.iconPath = new vscode.ThemeIcon('graph');
    const webview = this.#panel.webview;
    webview.html = dashboardHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'dashboard.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'dashboard.css')).toString(),
      codiconsUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'codicons', 'codicon.css')).toString(),
      title: `${scopeLabel(scope)}`,
    });
    this.#subscriptions.push(
      webview.onDidReceiveMessage((message: unknown) => {
        if (isFromDashboard(message)) void this.#receive(message);
        else this.#log.warn(`dashboard: ignored an unexpected message ${JSON.stringify(message)}`);
      }),
      this.#panel.onDidDispose(() => this.dispose()),
      connection.onDidChange(() => {
        // What was shown came from another kubeconfig or context: say so until the new one answers.
        this.#latest = undefined;
        this.#problem = 'Reconnecting: the kubeconfig or its context changed.';
        void this.#show();
        this.#start();
      }),
    );
    this.#start();
  }

  reveal(): void {
    this.#panel.reveal();
  }

  async #receive(message: FromDashboard): Promise<void> {
    switch (message.type) {
      case 'ready':
        // The page was (re)built, as on being shown again: give it the latest state at once, with all the history since.
        await this.#show();
        return;
      case 'showLogs':
        this.#log.show();
        return;
      case 'cspViolation':
        this.#log.error(`dashboard: Content Security Policy violation: ${message.directive} blocked ${message.blocked}`);
        return;
      case 'requestReport':
        await this.#report(message.since);
        return;
    }
  }

  /** Posts to the page while it is visible; a hidden page is rebuilt when shown and asks for the state then. */
  async #post(message: ToDashboard): Promise<void> {
    if (this.#panel.visible) await this.#panel.webview.postMessage(message);
  }

  /** The state as it is now: the latest snapshot with the whole history, or the problem that stands in its way. */
  async #show(): Promise<void> {
    if (this.#latest) {
      const { node, at } = this.#latest;
      const since = this.#history.source(this.scope).since;
      await this.#post({ type: 'view', view: dashboardView(this.scope, node, at, this.#history.of(this.scope), since) });
    }
    if (this.#problem) await this.#post({ type: 'problem', message: this.#problem });
  }

  /** Starts (or restarts) the watch of this scope. */
  #start(): void {
    this.#stop();
    const watch = new AbortController();
    this.#watch = watch;
    void this.#follow(watch.signal);
  }

  #stop(): void {
    this.#watch?.abort();
    this.#watch = undefined;
  }

  async #follow(signal: AbortSignal): Promise<void> {
    try {
      const { kit } = await this.#connection.current();
      for await (const snapshot of kit.usage.watch(this.scope, { signal })) {
        this.#history.record(this.scope, snapshot.root, Date.parse(snapshot.at));
        this.#latest = { node: snapshot.root, at: snapshot.at };
        this.#problem = undefined;
        await this.#show();
      }
      if (!signal.aborted) {
        this.#problem = `${scopeLabel(this.scope)} no longer exists.`;
        await this.#show();
      }
    } catch (err) {
      if (signal.aborted) return;
      this.#log.error(`dashboard: cannot watch ${scopeLabel(this.scope)}`, err);
      this.#latest = undefined;
      this.#problem =
        err instanceof ForbiddenError
          ? `You may no longer read ${scopeLabel(this.scope)}.`
          : err instanceof Error
            ? err.message
            : String(err);
      await this.#show();
    }
  }

  /** Reads the meter's report for the period; when it cannot be read, the page says why instead of failing. */
  async #report(since: ReportPeriod): Promise<void> {
    const operatorUrl = this.#settings().operatorUrl.trim();
    try {
      const { kit } = await this.#connection.current();
      const report = await kit.usage.report({
        since,
        by: reportLevel(this.scope),
        ...(operatorUrl ? { operatorUrl } : { scope: this.scope }),
      });
      await this.#post({ type: 'report', report: reportView(report, this.scope, since) });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.#log.warn(`dashboard: no metered report for ${scopeLabel(this.scope)}: ${message}`);
      const reason =
        err instanceof ForbiddenError && !operatorUrl
          ? `Your account may not read the metered usage of ${scopeLabel(this.scope)}. Live usage above is not affected.`
          : `Metered usage is not available: ${message}. Live usage above is not affected.`;
      await this.#post({ type: 'reportUnavailable', since, reason });
    }
  }

  dispose(): void {
    this.#stop();
    for (const s of this.#subscriptions.splice(0).reverse()) s.dispose();
    this.#panel.dispose();
    this.#disposed.fire();
    this.#disposed.dispose();
  }
}

/** One dashboard per scope: opening it again reveals the open one. */
export class Dashboards implements vscode.Disposable {
  readonly #open = new Map<string, DashboardPanel>();
  readonly #extensionUri: vscode.Uri;
  readonly #connection: Connection;
  readonly #settings: () => Settings;
  readonly #log: Log;
  readonly #history: UsageHistory;

  constructor(extensionUri: vscode.Uri, connection: Connection, settings: () => Settings, log: Log, history: UsageHistory) {
    this.#history = history;
    this.#extensionUri = extensionUri;
    this.#connection = connection;
    this.#settings = settings;
    this.#log = log;
  }

  open(scope: Scope): DashboardPanel {
    const key = scopeKey(scope);
    const existing = this.#open.get(key);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = new DashboardPanel(this.#extensionUri, scope, this.#connection, this.#settings, this.#log, this.#history);
    this.#open.set(key, panel);
    panel.onDidDispose(() => this.#open.delete(key));
    return panel;
  }

  dispose(): void {
    for (const panel of [...this.#open.values()]) panel.dispose();
  }
}
