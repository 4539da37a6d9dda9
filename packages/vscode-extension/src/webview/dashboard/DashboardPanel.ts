import { ForbiddenError } from '@spacekit/sdk';
import * as vscode from 'vscode';
import type { Connection } from '../../connection/Connection.ts';
import type { Log } from '../../log.ts';
import { type Scope, scopeKey, scopeLabel } from '../../model/scope.ts';
import type { Settings } from '../../settings.ts';
import { dashboardHtml, makeNonce } from './html.ts';
import { type FromDashboard, type HistoryPoint, isFromDashboard, type ReportPeriod, type ToDashboard } from './protocol.ts';
import { appendHistory, dashboardView, reportLevel, reportView } from './view.ts';

/** Where the built dashboard files are, inside the extension. */
const MEDIA = ['dist', 'media'] as const;

/**
 * The usage dashboard of one Organization, Tenant or Space: a webview with
 * bars, a live chart and the meter's resource-minutes. It watches its scope
 * while the panel is visible and keeps the history in the extension, so that
 * the page can be rebuilt at any time from one message.
 */
export class DashboardPanel implements vscode.Disposable {
  readonly scope: Scope;
  readonly #panel: vscode.WebviewPanel;
  readonly #connection: Connection;
  readonly #settings: () => Settings;
  readonly #log: Log;
  readonly #subscriptions: vscode.Disposable[] = [];
  #watch: AbortController | undefined;
  #history: HistoryPoint[] = [];
  #last: ToDashboard | undefined;
  readonly #disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.#disposed.event;

  constructor(extensionUri: vscode.Uri, scope: Scope, connection: Connection, settings: () => Settings, log: Log) {
    this.scope = scope;
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
      this.#panel.onDidChangeViewState(() => (this.#panel.visible ? this.#start() : this.#stop())),
      this.#panel.onDidDispose(() => this.dispose()),
      connection.onDidChange(() => this.#panel.visible && this.#start()),
    );
    this.#start();
  }

  reveal(): void {
    this.#panel.reveal();
  }

  async #receive(message: FromDashboard): Promise<void> {
    switch (message.type) {
      case 'ready':
        // The page was (re)built: give it the latest state at once.
        if (this.#last) await this.#post(this.#last);
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

  async #post(message: ToDashboard): Promise<void> {
    if (message.type === 'view' || message.type === 'problem') this.#last = message;
    await this.#panel.webview.postMessage(message);
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
        this.#history = appendHistory(this.#history, snapshot.root, Date.parse(snapshot.at));
        await this.#post({ type: 'view', view: dashboardView(this.scope, snapshot.root, snapshot.at, this.#history) });
      }
      if (!signal.aborted) await this.#post({ type: 'problem', message: `${scopeLabel(this.scope)} no longer exists.` });
    } catch (err) {
      if (signal.aborted) return;
      this.#log.error(`dashboard: cannot watch ${scopeLabel(this.scope)}`, err);
      await this.#post({ type: 'problem', message: err instanceof Error ? err.message : String(err) });
    }
  }

  /** Reads the meter's report for the period; when it cannot be read, the page says why instead of failing. */
  async #report(since: ReportPeriod): Promise<void> {
    const operatorUrl = this.#settings().operatorUrl.trim();
    try {
      const { kit } = await this.#connection.current();
      const report = await kit.usage.report({ since, by: reportLevel(this.scope), ...(operatorUrl && { operatorUrl }) });
      await this.#post({ type: 'report', report: reportView(report, this.scope, since) });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.#log.warn(`dashboard: no metered report for ${scopeLabel(this.scope)}: ${message}`);
      const reason =
        err instanceof ForbiddenError && !operatorUrl
          ? 'Metered usage comes from the operator, through the API server\'s service proxy, which your account may not use (cluster admins can). Set spacekit.operatorUrl to the operator\'s address (for example a port-forward) to read it directly. Live usage above is not affected.'
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

  constructor(extensionUri: vscode.Uri, connection: Connection, settings: () => Settings, log: Log) {
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
    const panel = new DashboardPanel(this.#extensionUri, scope, this.#connection, this.#settings, this.#log);
    this.#open.set(key, panel);
    panel.onDidDispose(() => this.#open.delete(key));
    return panel;
  }

  dispose(): void {
    for (const panel of [...this.#open.values()]) panel.dispose();
  }
}
