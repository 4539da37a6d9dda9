import { ForbiddenError, NotFoundError, type Rights, type Spacekit, type TreeNode } from '@spacekit/sdk';
import type * as vscode from 'vscode';
import { classifyFailure } from '../connection/classify.ts';
import { type ConnectionSource, NoKubeconfigError } from '../connection/types.ts';
import { discover } from '../discovery/discover.ts';
import { scopeHints } from '../discovery/hints.ts';
import type { Log } from '../log.ts';
import { type Scope, scopeKey, scopeLabel } from '../model/scope.ts';
import type { Settings } from '../settings.ts';
import { debounce, type Debouncer } from '../util/debounce.ts';
import type { SpacesModel } from './spaces/SpacesModel.ts';

/** A view whose visibility drives the watches: VS Code's TreeView, or anything shaped like it. */
export interface VisibilitySource {
  readonly visible: boolean;
  readonly onDidChangeVisibility: vscode.Event<unknown>;
}

/** How long discovery may take before the cluster counts as unreachable. */
const DISCOVERY_TIMEOUT_MS = 20_000;

/**
 * Keeps the Spaces view live while, and only while, it is visible: on show
 * it connects, discovers what the user may see and starts one usage watch
 * per readable scope (`kit.usage.watch`, driven by the API server's watches,
 * no polling); on hide it aborts them all. Changes reach the view debounced
 * (`spacekit.refreshDebounceMs`), except a change of state (a welcome giving
 * way to the tree), which shows at once.
 */
export class RefreshManager implements vscode.Disposable {
  readonly #view: VisibilitySource;
  readonly #model: SpacesModel;
  readonly #connection: ConnectionSource;
  readonly #settings: () => Settings;
  readonly #log: Log;
  readonly #refreshView: Debouncer;
  readonly #rediscover: Debouncer;
  readonly #subscriptions: { dispose(): void }[] = [];
  #run: AbortController | undefined;
  #lastState = '';
  #asking = false;

  readonly #onSnapshot: ((scope: Scope, node: TreeNode, at: number) => void) | undefined;

  constructor(
    view: VisibilitySource,
    model: SpacesModel,
    connection: ConnectionSource,
    settings: () => Settings,
    log: Log,
    refreshView: () => void,
    onSnapshot?: (scope: Scope, node: TreeNode, at: number) => void,
  ) {
    this.#onSnapshot = onSnapshot;
    this.#view = view;
    this.#model = model;
    this.#connection = connection;
    this.#settings = settings;
    this.#log = log;
    this.#refreshView = debounce(refreshView, () => this.#settings().refreshDebounceMs);
    // A watch that ended (its scope was deleted) or a burst of them: look again once, not per watch.
    this.#rediscover = debounce(
      () => this.restart(),
      () => this.#settings().refreshDebounceMs,
    );
    this.#subscriptions.push(
      view.onDidChangeVisibility(() => (this.#view.visible ? this.restart() : this.stop('the Spaces view is hidden'))),
      connection.onDidChange(() => {
        this.#model.forgetRights();
        if (this.#view.visible) this.restart();
      }),
      model.onDidChange(() => {
        void this.#askRights();
        this.#refreshView.schedule();
        if (model.state !== this.#lastState) this.#refreshView.flush();
        this.#lastState = model.state;
      }),
    );
    if (view.visible) this.restart();
  }

  /** Whether the view is kept live now: shown, and not stopped (its watches run, or its welcome waits for a change). */
  get live(): boolean {
    return this.#run !== undefined && !this.#run.signal.aborted;
  }

  /** Stops the watches and starts over: connect, discover, watch. */
  restart(): void {
    this.stop('restarting');
    const run = new AbortController();
    this.#run = run;
    void this.#start(run.signal);
  }

  /** Stops every watch, saying why in the log. */
  stop(why: string): void {
    this.#rediscover.cancel();
    if (this.#run && !this.#run.signal.aborted) this.#log.info(`watches stopped: ${why}`);
    this.#run?.abort();
    this.#run = undefined;
  }

  async #start(signal: AbortSignal): Promise<void> {
    if (this.#model.state !== 'ready') this.#model.connecting();
    try {
      const { kit, contextNamespace } = await this.#connection.current();
      const hints = scopeHints(this.#settings().scopes, contextNamespace);
      const discovery = await withTimeout(discover(kit, hints), DISCOVERY_TIMEOUT_MS);
      if (signal.aborted) return;
      this.#model.discovered(discovery);
      const scopes = this.#model.watchedScopes;
      this.#log.info(`watching ${scopes.length} scope(s): ${scopes.map(scopeLabel).join(', ') || 'none'}`);
      for (const scope of scopes) void this.#follow(kit, scope, signal);
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof NoKubeconfigError) {
        this.#model.failed({ state: 'noKubeconfig', message: err.message });
        return;
      }
      const failure = classifyFailure(err);
      this.#log.error(`cannot show the Spaces view (${failure.state})`, err);
      this.#model.failed(failure);
    }
  }

  /**
   * Asks the API server what the user may do at every readable Tenant and Space not asked about
   * yet (a Space that appeared, a new context).
   */
  async #askRights(): Promise<void> {
    if (this.#asking || !this.live || this.#model.state !== 'ready') return;
    const scopes = this.#model.scopesWithoutRights;
    if (scopes.length === 0) return;
    this.#asking = true;
    try {
      const { kit } = await this.#connection.current();
      const answers = new Map<string, Rights>();
      await Promise.all(
        scopes.map(async (scope) => {
          try {
            answers.set(scopeKey(scope), await kit.access.rights(scope));
          } catch (err) {
            // Unknown rights offer nothing; the next change asks again.
            this.#log.warn(`could not review your rights at ${scopeLabel(scope)}: ${err instanceof Error ? err.message : String(err)}`);
          }
        }),
      );
      this.#log.info(`rights reviewed at ${answers.size} scope(s)`);
      this.#model.rightsKnown(answers);
    } finally {
      this.#asking = false;
    }
    // Rows that appeared while the server was answering.
    if (this.#model.scopesWithoutRights.some((s) => !scopes.some((asked) => scopeKey(asked) === scopeKey(s)))) void this.#askRights();
  }

  /** Asks again everywhere, as after a refusal showed that an answer no longer holds. */
  reviewRights(): void {
    this.#model.forgetRights();
    void this.#askRights();
  }

  async #follow(kit: Spacekit, scope: Scope, signal: AbortSignal): Promise<void> {
    try {
      for await (const snapshot of kit.usage.watch(scope, { signal })) {
        this.#onSnapshot?.(scope, snapshot.root, Date.parse(snapshot.at));
        this.#model.updated(scope, snapshot.root);
      }
      if (signal.aborted) return;
      this.#log.info(`${scopeLabel(scope)} is gone; looking again`);
      this.#rediscover.schedule();
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof ForbiddenError || err instanceof NotFoundError) {
        this.#log.warn(`stopped watching ${scopeLabel(scope)}: ${err.message}`);
        this.#model.lost(scope, err.message);
        return;
      }
      this.#log.error(`the watch of ${scopeLabel(scope)} failed; looking again`, err);
      this.#rediscover.schedule();
    }
  }

  dispose(): void {
    this.stop('disposed');
    this.#refreshView.cancel();
    for (const s of this.#subscriptions.reverse()) s.dispose();
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the cluster did not answer within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
