import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ScopedCredentials, spaceNamespace } from '@spacekit/sdk';
import * as vscode from 'vscode';
import type { Container } from '../../container.ts';
import { type Scope, scopeKey, spaceAddress } from '../../model/scope.ts';
import { reportError } from '../report.ts';
import { target } from '../targets.ts';

/**
 * Credentials for one Space: a ServiceAccount bound to its developer role
 * and a bound token, from `kit.spaces.credentials`. They work in that Space
 * and are refused everywhere else.
 */
async function credentials(container: Container, scope: Scope): Promise<ScopedCredentials> {
  const ref = spaceAddress(scope);
  if (!ref) throw new Error(`${scopeKey(scope)} is not a Space`);
  const { kit } = await container.connection.current();
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Issuing a kubeconfig for Space ${scopeKey(scope)}` }, () =>
    kit.spaces.credentials(ref, { role: 'developer', expirationSeconds: container.settings().credentialsExpirationSeconds }),
  );
}

/** Writes a kubeconfig readable by its owner only: it holds a token. */
async function writePrivate(path: string, text: string): Promise<void> {
  await writeFile(path, text, { mode: 0o600 });
  // writeFile's mode applies only to a new file; an older one keeps its mode otherwise.
  await chmod(path, 0o600);
}

const until = (credentials: ScopedCredentials) => new Date(credentials.expiresAt).toLocaleTimeString();

/** Opens a terminal whose KUBECONFIG works in this Space only. */
export async function openTerminal(container: Container, arg?: unknown): Promise<void> {
  const scope = await target(container, arg, 'space', 'Space to open a terminal in');
  if (!scope) return;
  try {
    const creds = await credentials(container, scope);
    const dir = join(container.context.globalStorageUri.fsPath, 'kubeconfigs');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, `${creds.namespace}.kubeconfig`);
    await writePrivate(path, creds.kubeconfig);
    const terminal = vscode.window.createTerminal({
      name: `Space ${scope.space}`,
      env: { KUBECONFIG: path },
      iconPath: new vscode.ThemeIcon('server-environment'),
      message: `KUBECONFIG is scoped to Space ${scopeKey(scope)} (namespace ${creds.namespace}, ServiceAccount ${creds.serviceAccount}, valid until ${until(creds)}).`,
    });
    terminal.show();
    container.log.info(`terminal for space ${scopeKey(scope)} with KUBECONFIG=${path}`);
    await container.statusBar.select(scope);
  } catch (err) {
    await reportError(container.log, `open a terminal in Space ${scopeKey(scope)}`, err);
  }
}

/** Copies a Space-scoped kubeconfig to the clipboard. */
export async function copyKubeconfig(container: Container, arg?: unknown): Promise<void> {
  const scope = await target(container, arg, 'space', 'Space to copy a kubeconfig for');
  if (!scope) return;
  try {
    const creds = await credentials(container, scope);
    await vscode.env.clipboard.writeText(creds.kubeconfig);
    void vscode.window.showInformationMessage(`Copied a kubeconfig for Space ${scopeKey(scope)} (developer, namespace ${creds.namespace}, valid until ${until(creds)}).`);
  } catch (err) {
    await reportError(container.log, `copy a kubeconfig for Space ${scopeKey(scope)}`, err);
  }
}

/** Saves a Space-scoped kubeconfig where the user chooses, readable by them only. */
export async function saveKubeconfig(container: Container, arg?: unknown): Promise<void> {
  const scope = await target(container, arg, 'space', 'Space to save a kubeconfig for');
  const ref = scope && spaceAddress(scope);
  if (!scope || !ref) return;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(container.context.globalStorageUri.fsPath);
  const destination = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(folder, `${spaceNamespace(ref.organization, ref.tenant, ref.name)}.kubeconfig`),
    title: `Save a kubeconfig for Space ${scopeKey(scope)}`,
    filters: { Kubeconfig: ['kubeconfig', 'yaml', 'yml'] },
  });
  if (!destination) return;
  try {
    const creds = await credentials(container, scope);
    if (destination.scheme === 'file') await writePrivate(destination.fsPath, creds.kubeconfig);
    else await vscode.workspace.fs.writeFile(destination, new TextEncoder().encode(creds.kubeconfig));
    void vscode.window.showInformationMessage(`Saved a kubeconfig for Space ${scopeKey(scope)} to ${destination.fsPath} (valid until ${until(creds)}).`);
  } catch (err) {
    await reportError(container.log, `save a kubeconfig for Space ${scopeKey(scope)}`, err);
  }
}

/** Makes this Space the one the status bar follows. */
export async function workInSpace(container: Container, arg?: unknown): Promise<void> {
  const scope = await target(container, arg, 'space', 'Space to work in');
  if (scope) await container.statusBar.select(scope);
}
