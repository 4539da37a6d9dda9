import { delimiter, join } from 'node:path';

/** Where the kubeconfig came from, for messages and the view's tooltip. */
export type KubeconfigOrigin = 'setting' | 'kubernetes-extension' | 'KUBECONFIG' | 'default' | 'in-cluster';

/** The kubeconfig and context to connect with. */
export interface KubeconfigSource {
  origin: KubeconfigOrigin;
  /**
   * The file to load. Undefined for `$KUBECONFIG` with several files (the SDK
   * merges them as kubectl does) and for in-cluster credentials.
   */
  path?: string;
  /** Every file involved, to watch for changes (such as `kubectl config use-context`). */
  files: string[];
  /** A context to use instead of the file's current-context. */
  context?: string;
}

/** What the resolution reads, passed in so that it stays pure. */
export interface KubeconfigInputs {
  /** `spacekit.kubeconfig`. */
  setting: string;
  /** `spacekit.context`. */
  contextSetting: string;
  /** The kubeconfig the VS Code Kubernetes extension uses, when it is installed. */
  kubernetesExtensionPath?: string;
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  exists: (path: string) => boolean;
}

/**
 * Chooses the kubeconfig as a user would expect: the `spacekit.kubeconfig`
 * setting, else the Kubernetes extension's (so that both extensions agree on
 * the cluster), else `$KUBECONFIG`, else `~/.kube/config`, else in-cluster
 * credentials. Returns the files it looked for when none exists.
 */
export function resolveKubeconfig(inputs: KubeconfigInputs): { source: KubeconfigSource } | { missing: string[] } {
  const context = inputs.contextSetting.trim() || undefined;
  const withContext = (source: KubeconfigSource) => ({ source: context ? { ...source, context } : source });
  const expand = (path: string) => (path.startsWith('~/') ? join(inputs.home, path.slice(2)) : path);

  const setting = inputs.setting.trim();
  if (setting) {
    const path = expand(setting);
    return inputs.exists(path) ? withContext({ origin: 'setting', path, files: [path] }) : { missing: [path] };
  }
  const fromExtension = inputs.kubernetesExtensionPath?.trim();
  if (fromExtension && inputs.exists(expand(fromExtension))) {
    const path = expand(fromExtension);
    return withContext({ origin: 'kubernetes-extension', path, files: [path] });
  }
  const fromEnv = (inputs.env.KUBECONFIG ?? '').split(delimiter).filter(Boolean).map(expand);
  if (fromEnv.length > 0) {
    const present = fromEnv.filter(inputs.exists);
    if (present.length === 0) return { missing: fromEnv };
    return withContext(
      present.length === 1 && present[0] !== undefined
        ? { origin: 'KUBECONFIG', path: present[0], files: present }
        : { origin: 'KUBECONFIG', files: present },
    );
  }
  const home = join(inputs.home, '.kube', 'config');
  if (inputs.exists(home)) return withContext({ origin: 'default', path: home, files: [home] });
  if (inputs.env.KUBERNETES_SERVICE_HOST) return withContext({ origin: 'in-cluster', files: [] });
  return { missing: [home] };
}

/** `the spacekit.kubeconfig setting (/path)` and the like, for messages. */
export function describeSource(source: KubeconfigSource): string {
  const where = source.path ?? source.files.join(delimiter);
  const context = source.context ? `, context ${source.context}` : '';
  switch (source.origin) {
    case 'setting':
      return `the spacekit.kubeconfig setting (${where}${context})`;
    case 'kubernetes-extension':
      return `the Kubernetes extension's kubeconfig (${where}${context})`;
    case 'KUBECONFIG':
      return `$KUBECONFIG (${where}${context})`;
    case 'default':
      return `${where}${context}`;
    case 'in-cluster':
      return 'the in-cluster service account';
  }
}
