import * as vscode from 'vscode';
import type { ViewNode } from '../../model/viewTree.ts';
import type { SpacesModel } from './SpacesModel.ts';

/** Turns a pure view node into VS Code's TreeItem. */
export function toTreeItem(node: ViewNode): vscode.TreeItem {
  const collapsible =
    node.children.length === 0
      ? vscode.TreeItemCollapsibleState.None
      : node.kind === 'Space'
        ? vscode.TreeItemCollapsibleState.None
        : vscode.TreeItemCollapsibleState.Expanded;
  const item = new vscode.TreeItem(node.label, collapsible);
  item.id = node.id;
  item.description = node.description;
  const tooltip = new vscode.MarkdownString(node.tooltip, true);
  item.tooltip = tooltip;
  item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
  item.contextValue = node.contextValue;
  item.accessibilityInformation = { label: node.accessibilityLabel };
  return item;
}

/** The Spaces view's data: the model's rows, as they are now. */
export class SpacesTreeProvider implements vscode.TreeDataProvider<ViewNode>, vscode.Disposable {
  readonly #model: SpacesModel;
  readonly #changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.#changed.event;

  constructor(model: SpacesModel) {
    this.#model = model;
  }

  /** Re-reads the whole tree. Rows keep their ids, so expansion and selection survive. */
  refresh(): void {
    this.#changed.fire(undefined);
  }

  getTreeItem(node: ViewNode): vscode.TreeItem {
    return toTreeItem(node);
  }

  getChildren(node?: ViewNode): ViewNode[] {
    if (!node) return this.#model.nodes;
    // The node may be from before the last refresh; answer with the current one's children.
    return (this.#model.node(node.id) ?? node).children;
  }

  getParent(node: ViewNode): ViewNode | undefined {
    const cut = node.id.lastIndexOf('/');
    return cut === -1 ? undefined : this.#model.node(node.id.slice(0, cut));
  }

  dispose(): void {
    this.#changed.dispose();
  }
}
