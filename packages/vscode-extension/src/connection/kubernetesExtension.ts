import * as vscode from 'vscode';
import type { Log } from '../log.ts';

/** The VS Code Kubernetes extension, whose kubeconfig and context changes Spacekit follows. */
export const KUBERNETES_EXTENSION_ID = 'ms-kubernetes-tools.vscode-kubernetes-tools';

type KubeconfigPath = { pathType: 'host'; hostPath: string } | { pathType: 'wsl'; wslPath: string };

/** The part of its `configuration` API (v1_1) that Spacekit uses. */
interface ConfigurationV1_1 {
  getKubeconfigPath(): KubeconfigPath;
  onDidChangeKubeconfigPath: vscode.Event<KubeconfigPath>;
  onDidChangeContext: vscode.Event<string | null>;
}

interface APIBroker {
  get(component: string, version: string): { available: true; api: unknown } | { available: false; reason: string };
}

/** What Spacekit learns from the Kubernetes extension. */
export interface KubernetesExtensionBridge {
  /** The kubeconfig it uses, when it runs on this host. */
  kubeconfigPath(): string | undefined;
  /** Fires when its kubeconfig or current context changes. */
  onDidChange: vscode.Event<void>;
  dispose(): void;
}

/**
 * Connects to the Kubernetes extension when it is installed, so that a
 * context switch made there moves Spacekit too. Without it (or with a
 * version that lacks the API) Spacekit still follows the file itself, since
 * that extension switches context by rewriting `current-context`.
 */
export async function bridgeKubernetesExtension(log: Log): Promise<KubernetesExtensionBridge | undefined> {
  const extension = vscode.extensions.getExtension<APIBroker>(KUBERNETES_EXTENSION_ID);
  if (!extension) return undefined;
  try {
    const broker = await extension.activate();
    const answer = broker?.get('configuration', 'v1_1');
    if (!answer?.available) {
      log.info(
        `the Kubernetes extension offers no configuration API${answer ? `: ${answer.reason}` : ''}; following its kubeconfig file only`,
      );
      return undefined;
    }
    const api = answer.api as ConfigurationV1_1;
    const changed = new vscode.EventEmitter<void>();
    const subscriptions = [api.onDidChangeKubeconfigPath(() => changed.fire()), api.onDidChangeContext(() => changed.fire()), changed];
    log.info("following the Kubernetes extension's kubeconfig and context");
    return {
      kubeconfigPath: () => {
        const path = api.getKubeconfigPath();
        return path.pathType === 'host' ? path.hostPath : undefined;
      },
      onDidChange: changed.event,
      dispose: () => {
        for (const s of subscriptions) s.dispose();
      },
    };
  } catch (err) {
    log.warn(`could not use the Kubernetes extension's API: ${String(err)}`);
    return undefined;
  }
}
