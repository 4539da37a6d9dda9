import * as vscode from 'vscode';
import type { Container } from '../container.ts';
import { type Action, may } from '../model/rights.ts';
import { flatten, type ViewNode } from '../model/viewTree.ts';
import { RefreshManager } from './RefreshManager.ts';
import { SpacesModel } from './spaces/SpacesModel.ts';
import { SpacesTreeProvider } from './spaces/SpacesTreeProvider.ts';

/** The id of the Spaces view, as package.json contributes it. */
export const SPACES_VIEW = 'spacekit.spaces';

/** The Spaces view and what keeps it live. */
export interface SpacesTree extends vscode.Disposable {
  model: SpacesModel;
  view: vscode.TreeView<ViewNode>;
  refresh: RefreshManager;
  /** The selected row, for commands run from the palette. */
  selected(): ViewNode | undefined;
}

/**
 * Registers the Spaces view: its model, data provider and refresh manager,
 * the `spacekit.state` context key that picks the welcome content, and the
 * link from a selected Space to the status bar.
 */
export function registerTrees(container: Container): SpacesTree {
  const model = new SpacesModel();
  const provider = new SpacesTreeProvider(model);
  const view = vscode.window.createTreeView(SPACES_VIEW, { treeDataProvider: provider, showCollapseAll: true });
  let shownState = '';
  const shownKeys = new Map<string, boolean>();
  const setKey = (key: string, value: boolean) => {
    if (shownKeys.get(key) === value) return;
    shownKeys.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  };
  const showModel = () => {
    provider.refresh();
    // What the palette and the view's title bar offer follows the same rights as the rows' menus.
    const rows = flatten(model.nodes);
    const anywhere = (action: Action) => rows.some((n) => may(model.rights(n.scope), action));
    setKey('spacekit.canCreateSpace', anywhere('createSpace'));
    setKey('spacekit.canResizeSpace', anywhere('resizeSpace'));
    setKey('spacekit.canDeleteSpace', anywhere('deleteSpace'));
    setKey('spacekit.hasScopes', container.settings().scopes.length > 0);
    // VS Code shows the welcome content only while the view has no message; the welcome says what to do, the log has the detail.
    view.message = model.state === 'ready' ? (model.message ?? '') : '';
    if (model.state !== shownState) {
      shownState = model.state;
      void vscode.commands.executeCommand('setContext', 'spacekit.state', model.state);
    }
  };
  const refresh = new RefreshManager(view, model, container.connection, container.settings, container.log, showModel, (scope, node, at) =>
    container.history.record(scope, node, at),
  );
  const subscriptions: vscode.Disposable[] = [
    provider,
    view,
    refresh,
    view.onDidChangeSelection((e) => {
      const node = e.selection[0];
      if (node?.kind === 'Space' && node.usage) void container.statusBar.select(node.scope);
    }),
  ];
  return {
    model,
    view,
    refresh,
    selected: () => view.selection[0],
    dispose: () => {
      for (const s of subscriptions.reverse()) s.dispose();
    },
  };
}
