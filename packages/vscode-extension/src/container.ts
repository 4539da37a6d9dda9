import * as vscode from 'vscode';
import { Connection } from './connection/Connection.ts';
import { createLog, type Log } from './log.ts';
import { readSettings, SECTION, type Settings } from './settings.ts';
import { UsageStatusBar } from './statusbar/UsageStatusBar.ts';
import { registerTrees, type SpacesTree } from './tree/registerTrees.ts';
import { Dashboards } from './webview/dashboard/DashboardPanel.ts';
import { UsageHistory } from './webview/dashboard/history.ts';

/**
 * Creates and owns the extension's few services, in dependency order, and
 * releases them in reverse. Commands and views get what they need from here
 * rather than from module-level singletons.
 */
export class Container implements vscode.Disposable {
  readonly context: vscode.ExtensionContext;
  readonly log: Log;
  readonly connection: Connection;
  readonly statusBar: UsageStatusBar;
  readonly dashboards: Dashboards;
  /** What this session has seen of each scope's usage, for the dashboards' charts. */
  readonly history: UsageHistory;
  readonly spaces: SpacesTree;
  readonly #disposables: vscode.Disposable[] = [];

  constructor(context: vscode.ExtensionContext) {
    this.context = context;
    this.log = this.#own(createLog());
    this.connection = this.#own(new Connection(this.log, this.settings));
    this.history = new UsageHistory();
    // Another kubeconfig or context may be another cluster or another user: what was seen no longer holds.
    this.#own(this.connection.onDidChange(() => this.history.clear()));
    this.statusBar = this.#own(new UsageStatusBar(this.connection, this.settings, this.log, context.workspaceState));
    this.dashboards = this.#own(new Dashboards(context.extensionUri, this.connection, this.settings, this.log, this.history));
    this.spaces = this.#own(registerTrees(this));
  }

  /** The settings as they are now; read on every use, so changes apply without a reload. */
  readonly settings = (): Settings => {
    const config = vscode.workspace.getConfiguration(SECTION);
    return readSettings((key) => config.get(key));
  };

  #own<T extends vscode.Disposable>(disposable: T): T {
    this.#disposables.push(disposable);
    return disposable;
  }

  dispose(): void {
    for (const d of this.#disposables.splice(0).reverse()) d.dispose();
  }
}
