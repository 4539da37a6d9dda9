import * as vscode from 'vscode';
import type { Connection } from '../connection/Connection.ts';
import type { Log } from '../log.ts';
import { type Scope, scopeKey } from '../model/scope.ts';
import { tooltipFor, stateOf } from '../model/viewTree.ts';
import { SECTION, type Settings } from '../settings.ts';
import { currentSpace, statusText } from './currentSpace.ts';

const SELECTED_KEY = 'spacekit.selectedSpace';

/**
 * The usage of the Space the user works in, in the status bar. Clicking it
 * opens that Space's dashboard. It watches that one Space object (a single
 * watch, by name) while there is a Space to show.
 */
export class UsageStatusBar implements vscode.Disposable {
  readonly #item = vscode.window.createStatusBarItem('spacekit.usage', vscode.StatusBarAlignment.Left, 10);
  readonly #connection: Connection;
  readonly #settings: () => Settings;
  readonly #log: Log;
  readonly #state: vscode.Memento;
  readonly #subscriptions: vscode.Disposable[] = [];
  #watch: AbortController | undefined;
  #following = '';

  constructor(connection: Connection, settings: () => Settings, log: Log, workspaceState: vscode.Memento) {
    this.#connection = connection;
    this.#settings = settings;
    this.#log = log;
    this.#state = workspaceState;
    this.#item.name = 'Spacekit Space usage';
    this.#subscriptions.push(
      connection.onDidChange(() => void this.update(true)),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(`${SECTION}.space`) && void this.update()),
    );
    void this.update();
  }

  /** The Space the user chose last (selection in the Spaces view, a terminal opened in it). */
  async select(scope: Scope): Promise<void> {
    await this.#state.update(SELECTED_KEY, scope);
    await this.update();
  }

  /** Follows the current Space; restarts the watch when it changed or `force` is set. */
  async update(force = false): Promise<void> {
    let contextNamespace: string | undefined;
    try {
      contextNamespace = (await this.#connection.current()).contextNamespace;
    } catch {
      // No connection: nothing to show; the Spaces view explains why.
      this.#stop();
      this.#item.hide();
      return;
    }
    const current = currentSpace({ setting: this.#settings().space, contextNamespace, selected: this.#state.get<Scope>(SELECTED_KEY) });
    if (!current) {
      this.#stop();
      this.#item.hide();
      return;
    }
    const key = scopeKey(current.scope);
    if (key === this.#following && !force && this.#watch) return;
    this.#stop();
    this.#following = key;
    this.#item.text = statusText(current.scope, undefined);
    this.#item.tooltip = `Space ${key}`;
    this.#item.command = { title: 'Open Usage Dashboard', command: 'spacekit.openDashboard', arguments: [current.scope] };
    this.#item.show();
    const watch = new AbortController();
    this.#watch = watch;
    void this.#follow(current.scope, watch.signal);
  }

  async #follow(scope: Scope, signal: AbortSignal): Promise<void> {
    try {
      const { kit } = await this.#connection.current();
      for await (const snapshot of kit.usage.watch(scope, { signal })) {
        const state = stateOf(snapshot.root);
        this.#item.text = statusText(scope, snapshot.root);
        const tooltip = new vscode.MarkdownString(`${tooltipFor(snapshot.root, scope, state)}\n\n_Click for the usage dashboard._`, true);
        this.#item.tooltip = tooltip;
        this.#item.backgroundColor =
          state === 'overBudget' || state === 'failed' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
      }
      if (!signal.aborted) this.#item.hide();
    } catch (err) {
      if (signal.aborted) return;
      this.#log.warn(`status bar: cannot follow space ${scopeKey(scope)}: ${err instanceof Error ? err.message : String(err)}`);
      this.#item.text = `$(warning) ${scopeKey(scope)}`;
      this.#item.tooltip = err instanceof Error ? err.message : String(err);
    }
  }

  #stop(): void {
    this.#watch?.abort();
    this.#watch = undefined;
    this.#following = '';
  }

  dispose(): void {
    this.#stop();
    for (const s of this.#subscriptions.reverse()) s.dispose();
    this.#item.dispose();
  }
}
