import { dirname, join, resolve } from 'node:path';

/**
 * Where Save Scoped Kubeconfig proposes to write: a private folder under
 * `~/.kube`, next to the user's own kubeconfig and outside any workspace, so
 * that a token is never one `git add .` away from a commit.
 */
export function defaultKubeconfigPath(home: string, namespace: string): string {
  return join(home, '.kube', 'spacekit', `${namespace}.kubeconfig`);
}

/** The Git work tree a path lies in (the nearest folder above it with a `.git`), if any. */
export function gitWorkTreeOf(path: string, exists: (path: string) => boolean): string | undefined {
  let dir = dirname(resolve(path));
  for (;;) {
    if (exists(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
