import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { type SpaceKubeconfig, spaceNamespace } from '@spacekit/sdk';
import * as vscode from 'vscode';
import type { Container } from '../../container.ts';
import { defaultKubeconfigPath, gitWorkTreeOf } from '../../model/kubeconfigPath.ts';
import { type Scope, scopeKey, spaceAddress } from '../../model/scope.ts';
import { reportError } from '../report.ts';
import { target } from '../targets.ts';

/**
 * A kubeconfig for one Space from `kit.spaces.kubeconfig`: a Space-scoped
 * ServiceAccount token when the user may issue one (Space and Tenant admins),
 * else the user's own credentials with the Space as namespace (developers,
 * viewers). Neither gives the user a right they did not have (ADR 0013).
 */
async function credentials(container: Container, scope: Scope): Promise<SpaceKubeconfig> {
  const ref = spaceAddress(scope);
  if (!ref) throw new Error(`${scopeKey(scope)} is not a Space`);
  const { kit } = await container.connection.current();
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Preparing a kubeconfig for Space ${scopeKey(scope)}` },
    () => kit.spaces.kubeconfig(ref, { role: 'developer', expirationSeconds: container.settings().credentialsExpirationSeconds }),
  );
}

/** What the kubeconfig authenticates as, in words. */
function describeIdentity(creds: SpaceKubeconfig): string {
  return creds.identity === 'issued'
    ? `ServiceAccount ${creds.serviceAccount}, developer, valid until ${new Date(creds.expiresAt).toLocaleTimeString()}`
    : `your own credentials (kubeconfig user ${creds.user})`;
}

/** Writes a kubeconfig readable by its owner only: it holds a token. */
async function writePrivate(path: string, text: string): Promise<void> {
  await writeFile(path, text, { mode: 0o600 });
  // writeFile's mode applies only to a new file; an older one keeps its mode otherwise.
  await chmod(path, 0o600);
}

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
      message: `KUBECONFIG is scoped to Space ${scopeKey(scope)}: namespace ${creds.namespace}, ${describeIdentity(creds)}.`,
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
    void vscode.window.showInformationMessage(
      `Copied a kubeconfig for Space ${scopeKey(scope)} (namespace ${creds.namespace}, ${describeIdentity(creds)}).`,
    );
  } catch (err) {
    await reportError(container.log, `copy a kubeconfig for Space ${scopeKey(scope)}`, err);
  }
}

/**
 * Saves a Space-scoped kubeconfig, readable by its owner only (0600). It
 * proposes a private folder outside any workspace, and warns before writing
 * into a Git work tree.
 */
export async function saveKubeconfig(container: Container, arg?: unknown): Promise<void> {
  const scope = await target(container, arg, 'space', 'Space to save a kubeconfig for');
  const ref = scope && spaceAddress(scope);
  if (!scope || !ref) return;
  const proposed = defaultKubeconfigPath(homedir(), spaceNamespace(ref.organization, ref.tenant, ref.name));
  await mkdir(dirname(proposed), { recursive: true, mode: 0o700 });
  const destination = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(proposed),
    title: `Save a kubeconfig for Space ${scopeKey(scope)}`,
    filters: { Kubeconfig: ['kubeconfig', 'yaml', 'yml'] },
  });
  if (!destination) return;
  const workTree = destination.scheme === 'file' ? gitWorkTreeOf(destination.fsPath, existsSync) : undefined;
  if (workTree) {
    const choice = await vscode.window.showWarningMessage(
      `Save credentials inside the Git work tree ${workTree}?`,
      {
        modal: true,
        detail:
          'The kubeconfig holds a secret (a token or your own credentials). In a Git work tree it can be committed and pushed by accident. A folder outside it, such as ~/.kube/spacekit, is safer.',
      },
      'Save Anyway',
    );
    if (choice !== 'Save Anyway') return;
  }
  try {
    const creds = await credentials(container, scope);
    if (destination.scheme === 'file') await writePrivate(destination.fsPath, creds.kubeconfig);
    else await vscode.workspace.fs.writeFile(destination, new TextEncoder().encode(creds.kubeconfig));
    container.log.info(`saved a kubeconfig for space ${scopeKey(scope)} to ${destination.fsPath} (${creds.identity})`);
    void vscode.window.showInformationMessage(
      `Saved a kubeconfig for Space ${scopeKey(scope)} to ${destination.fsPath} (${describeIdentity(creds)}).`,
    );
  } catch (err) {
    await reportError(container.log, `save a kubeconfig for Space ${scopeKey(scope)}`, err);
  }
}

/** Makes this Space the one the status bar follows. */
export async function workInSpace(container: Container, arg?: unknown): Promise<void> {
  const scope = await target(container, arg, 'space', 'Space to work in');
  if (scope) await container.statusBar.select(scope);
}
