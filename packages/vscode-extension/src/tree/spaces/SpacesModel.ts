import { isDeepStrictEqual } from 'node:util';
import type { Rights, TreeNode } from '@spacekit/sdk';
import type { Failure, ViewState } from '../../connection/classify.ts';
import type { Discovery } from '../../discovery/discover.ts';
import { type Scope, scopeKey } from '../../model/scope.ts';
import { buildViewTree, findNode, flatten, type Reach, type ViewNode } from '../../model/viewTree.ts';

/**
 * What the Spaces view shows, held apart from VS Code: the view state (which
 * welcome, if any), a one-line message, and the reaches that discovery found
 * and watches keep current. Listeners hear about every change; the view
 * debounces them.
 */
export class SpacesModel {
  #state: ViewState = 'connecting';
  #message: string | undefined;
  #reaches: Reach[] = [];
  #nodes: ViewNode[] | undefined;
  #rights = new Map<string, Rights>();
  readonly #listeners = new Set<() => void>();

  get state(): ViewState {
    return this.#state;
  }

  /** A line above the tree: why it is empty, or what could not be read from the settings. */
  get message(): string | undefined {
    return this.#message;
  }

  /** The readable scopes, which the refresh manager watches. */
  get watchedScopes(): Scope[] {
    return this.#reaches.filter((r) => r.kind === 'readable').map((r) => r.scope);
  }

  /** The rows, built once per change. */
  get nodes(): ViewNode[] {
    this.#nodes ??= this.#state === 'ready' ? buildViewTree(this.#reaches, this.#rights) : [];
    return this.#nodes;
  }

  /** What the user may do at a scope, once the API server has said; undefined before. */
  rights(scope: Scope): Rights | undefined {
    return this.#rights.get(scopeKey(scope));
  }

  /** Readable Tenants and Spaces whose rights are not known yet. */
  get scopesWithoutRights(): Scope[] {
    return flatten(this.nodes)
      .filter((n) => n.usage && n.kind !== 'Organization' && !this.#rights.has(n.id))
      .map((n) => n.scope);
  }

  /** The API server's answer for some scopes. */
  rightsKnown(answers: ReadonlyMap<string, Rights>): void {
    let changed = false;
    for (const [key, rights] of answers) {
      if (!isDeepStrictEqual(this.#rights.get(key), rights)) changed = true;
      this.#rights.set(key, rights);
    }
    if (changed) this.#changed();
  }

  /** Forgets every answer, as after a change of kubeconfig or context, when they may no longer hold. */
  forgetRights(): void {
    if (this.#rights.size === 0) return;
    this.#rights = new Map();
    // Rows offer what the old answers allowed until rebuilt: rebuild them now, not after the next discovery.
    this.#changed();
  }

  /** The row with this id (`acme/payments/dev`). */
  node(id: string): ViewNode | undefined {
    return findNode(this.nodes, id);
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.#listeners.add(listener);
    return { dispose: () => this.#listeners.delete(listener) };
  }

  connecting(): void {
    this.#set('connecting', undefined, []);
  }

  failed(failure: Failure): void {
    this.#set(failure.state, failure.message, []);
  }

  discovered(discovery: Discovery): void {
    if (discovery.kind === 'ready') this.#set('ready', discovery.problems.join(' ') || undefined, discovery.reaches);
    else if (discovery.kind === 'noScopes') this.#set('noScopes', discovery.detail, []);
    else this.#set('noOrganizations', undefined, []);
  }

  /** A watch's latest snapshot of one readable scope. */
  updated(scope: Scope, node: TreeNode): void {
    const key = scopeKey(scope);
    const index = this.#reaches.findIndex((r) => scopeKey(r.scope) === key);
    if (index === -1) return;
    const current = this.#reaches[index];
    // A watch's first snapshot repeats what discovery read. Telling listeners anyway would refresh the
    // whole tree for nothing, and while VS Code refreshes a tree, a context menu command run on one of
    // its rows gets no row (microsoft/vscode#144250).
    if (current?.kind === 'readable' && isDeepStrictEqual(current.node, node)) return;
    this.#reaches[index] = { kind: 'readable', scope, node };
    this.#changed();
  }

  /** A scope that can no longer be read (its rights were taken away, or it was deleted). */
  lost(scope: Scope, reason: string): void {
    const key = scopeKey(scope);
    this.#reaches = this.#reaches.map((r) => (scopeKey(r.scope) === key ? { kind: 'unreadable', scope, reason } : r));
    this.#changed();
  }

  #set(state: ViewState, message: string | undefined, reaches: Reach[]): void {
    this.#state = state;
    this.#message = message;
    this.#reaches = reaches;
    this.#changed();
  }

  #changed(): void {
    this.#nodes = undefined;
    for (const listener of [...this.#listeners]) listener();
  }
}
