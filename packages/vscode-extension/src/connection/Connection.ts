import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, basename } from 'node:path';
import { connect } from '@spacekit/sdk';
import * as vscode from 'vscode';
import type { Log } from '../log.ts';
import { CONNECTION_SETTINGS, SECTION, type Settings } from '../settings.ts';
import { describeSource, resolveKubeconfig } from './kubeconfigSource.ts';
import { bridgeKubernetesExtension, type KubernetesExtensionBridge } from './kubernetesExtension.ts';
import { type Connected, type ConnectionSource, NoKubeconfigError } from './types.ts';

/**
 * The one SDK connection the extension uses. It is made lazily and remade
 * when its inputs change: the settings, the kubeconfig files (a
 * `kubectl config use-context` rewrites them) or the Kubernetes extension's
 * choice. `onDidChange` tells the view to start over.
 */
export class Connection implements ConnectionSource, vscode.Disposable {
  readonly #log: Log;
  readonly #settings: () => Settings;
  readonly #changed = new vscode.EventEmitter<void>();
  readonly #disposables: vscode.Disposable[] = [this.#changed];
  #watchers: vscode.Disposable[] = [];
  #current: Promise<Connected> | undefined;
  #kubernetes: Promise<KubernetesExtensionBridge | undefined> | undefined;

  /** Fires when the connection must be remade; call {@link current} again. */
  readonly onDidChange = this.#changed.event;

  constructor(log: Log, settings: () => Settings) {
    this.#log = log;
    this.#settings = settings;
    this.#disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (CONNECTION_SETTINGS.some((key) => e.affectsConfiguration(`${SECTION}.${key}`))) this.reset('settings changed');
      }),
    );
  }

  /** The connection, made on first use. Rejects with {@link NoKubeconfigError} when there is no kubeconfig. */
  current(): Promise<Connected> {
    this.#current ??= this.#connect();
    return this.#current;
  }

  /** Drops the connection, so that the next {@link current} reads everything again, and tells listeners. */
  reset(why: string): void {
    this.#log.info(`reconnecting: ${why}`);
    this.#current = undefined;
    this.#changed.fire();
  }

  async #connect(): Promise<Connected> {
    const bridge = await this.#bridge();
    const settings = this.#settings();
    const kubernetesExtensionPath = bridge?.kubeconfigPath();
    const resolved = resolveKubeconfig({
      setting: settings.kubeconfig,
      contextSetting: settings.context,
      ...(kubernetesExtensionPath !== undefined && { kubernetesExtensionPath }),
      env: process.env,
      home: homedir(),
      exists: existsSync,
    });
    if ('missing' in resolved) {
      this.#watch(resolved.missing);
      throw new NoKubeconfigError(resolved.missing);
    }
    const { source } = resolved;
    this.#watch(source.files);
    const kit = await connect({
      ...(source.path !== undefined && { kubeconfig: source.path }),
      ...(source.context !== undefined && { context: source.context }),
      mode: 'auto',
    });
    const config = kit.kubeConfig;
    const contextNamespace = config.getContextObject(config.getCurrentContext())?.namespace;
    const server = config.getCurrentCluster()?.server;
    this.#log.info(
      `using ${describeSource(source)}: context ${config.getCurrentContext()}${contextNamespace ? `, namespace ${contextNamespace}` : ''}, server ${server ?? 'unknown'}`,
    );
    return { kit, source, contextNamespace, server };
  }

  #bridge(): Promise<KubernetesExtensionBridge | undefined> {
    this.#kubernetes ??= bridgeKubernetesExtension(this.#log).then((bridge) => {
      if (bridge)
        this.#disposables.push(
          bridge,
          bridge.onDidChange(() => this.reset('the Kubernetes extension changed kubeconfig or context')),
        );
      return bridge;
    });
    return this.#kubernetes;
  }

  /** Watches the kubeconfig files (or where they should appear), so that edits and context switches take effect. */
  #watch(files: readonly string[]): void {
    for (const w of this.#watchers) w.dispose();
    this.#watchers = files.map((file) => {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(file)), basename(file)));
      const onChange = () => this.reset(`${file} changed`);
      return vscode.Disposable.from(watcher, watcher.onDidChange(onChange), watcher.onDidCreate(onChange), watcher.onDidDelete(onChange));
    });
  }

  dispose(): void {
    for (const w of this.#watchers) w.dispose();
    for (const d of this.#disposables.reverse()) d.dispose();
  }
}
