import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { Container } from '../../container.ts';
import { parseScope, scopeKey, scopeLabel } from '../../model/scope.ts';
import { SECTION } from '../../settings.ts';
import { reportError } from '../report.ts';

/** Chooses the kubeconfig context, kept in `spacekit.context` (empty follows the file's current-context). */
export async function switchContext(container: Container): Promise<void> {
  let contexts: { name: string; cluster: string; namespace?: string }[];
  let current: string;
  try {
    const { kit } = await container.connection.current();
    contexts = kit.kubeConfig
      .getContexts()
      .map((c) => ({ name: c.name, cluster: c.cluster, ...(c.namespace !== undefined && { namespace: c.namespace }) }));
    current = kit.kubeConfig.getCurrentContext();
  } catch (err) {
    await reportError(container.log, 'read the kubeconfig', err);
    return;
  }
  const follow = {
    label: '$(sync) Follow the kubeconfig',
    description: 'its current-context, as kubectl and the Kubernetes extension set it',
    context: '',
  };
  const items = [
    follow,
    ...contexts.map((c) => ({
      label: `${c.name === current ? '$(check) ' : ''}${c.name}`,
      description: [c.cluster, c.namespace && `namespace ${c.namespace}`].filter(Boolean).join(' · '),
      context: c.name,
    })),
  ];
  const picked = await vscode.window.showQuickPick(items, { placeHolder: `Context for Spacekit (now ${current})` });
  if (!picked) return;
  await vscode.workspace.getConfiguration(SECTION).update('context', picked.context, vscode.ConfigurationTarget.Global);
}

/** Chooses the kubeconfig file, kept in `spacekit.kubeconfig` (empty: the Kubernetes extension's, `$KUBECONFIG`, `~/.kube/config`). */
export async function selectKubeconfig(container: Container): Promise<void> {
  const browse = { label: '$(folder-opened) Browse…', value: 'browse' };
  const reset = {
    label: '$(discard) Use the default',
    description: "the Kubernetes extension's kubeconfig, $KUBECONFIG or ~/.kube/config",
    value: 'reset',
  };
  const picked = await vscode.window.showQuickPick([browse, reset], {
    placeHolder: `Kubeconfig for Spacekit (now ${container.settings().kubeconfig || 'the default'})`,
  });
  if (!picked) return;
  let value = '';
  if (picked.value === 'browse') {
    const files = await vscode.window.showOpenDialog({
      canSelectMany: false,
      defaultUri: vscode.Uri.file(`${homedir()}/.kube`),
      title: 'Select a kubeconfig',
    });
    const file = files?.[0];
    if (!file) return;
    value = file.fsPath;
  }
  await vscode.workspace.getConfiguration(SECTION).update('kubeconfig', value, vscode.ConfigurationTarget.Global);
}

/**
 * Adds an Organization, Tenant or Space to `spacekit.scopes`, for users who
 * may not list Organizations. It is read first: a scope that does not exist
 * or that the user may not read is not added, and the user is told why.
 */
export async function addScope(container: Container): Promise<void> {
  const scope = await vscode.window.showInputBox({
    title: 'Add Scope',
    prompt: 'The Tenant (organization/tenant) or Space (organization/tenant/space) you work in',
    placeHolder: 'acme/payments',
    validateInput: (value) => {
      if (!value) return undefined;
      const parsed = parseScope(value);
      return 'problem' in parsed ? parsed.problem : undefined;
    },
  });
  if (!scope) return;
  const parsed = parseScope(scope);
  if ('problem' in parsed) return;
  const scopes = container.settings().scopes;
  const key = scopeKey(parsed.scope);
  if (scopes.includes(key)) {
    void vscode.window.showInformationMessage(`${key} is already a scope.`);
    return;
  }
  try {
    const { kit } = await container.connection.current();
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading ${scopeLabel(parsed.scope)}` }, () =>
      kit.usage.snapshot(parsed.scope),
    );
  } catch (err) {
    await reportError(container.log, `add ${scopeLabel(parsed.scope)} as a scope`, err);
    return;
  }
  await vscode.workspace.getConfiguration(SECTION).update('scopes', [...scopes, key], vscode.ConfigurationTarget.Global);
}

/** Removes scopes from `spacekit.scopes`. */
export async function removeScope(container: Container): Promise<void> {
  const scopes = container.settings().scopes;
  if (scopes.length === 0) {
    void vscode.window.showInformationMessage('There is no scope to remove: the spacekit.scopes setting is empty.');
    return;
  }
  const picked = await vscode.window.showQuickPick(
    scopes.map((s) => ({ label: s })),
    { title: 'Remove Scope', placeHolder: 'Scopes to remove from spacekit.scopes', canPickMany: true },
  );
  if (!picked || picked.length === 0) return;
  const removed = new Set(picked.map((p) => p.label));
  await vscode.workspace.getConfiguration(SECTION).update(
    'scopes',
    scopes.filter((s) => !removed.has(s)),
    vscode.ConfigurationTarget.Global,
  );
}
