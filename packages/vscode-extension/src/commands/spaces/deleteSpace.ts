import { spaceNamespace } from '@spacekit/sdk';
import * as vscode from 'vscode';
import type { Container } from '../../container.ts';
import { may, refusalOf, WHO_CAN } from '../../model/rights.ts';
import { scopeKey, spaceAddress } from '../../model/scope.ts';
import { reportError } from '../report.ts';
import { target } from '../targets.ts';

/** Deletes a Space after a modal confirmation that names what goes with it, and waits until its namespace is gone. */
export async function deleteSpace(container: Container, arg?: unknown): Promise<void> {
  const scope = await target(container, arg, 'space', 'Space to delete');
  const ref = scope && spaceAddress(scope);
  if (!scope || !ref) return;
  const key = scopeKey(scope);
  // Never ask to confirm what the server will refuse.
  if (!may(container.spaces.model.rights(scope), 'deleteSpace')) {
    void vscode.window.showWarningMessage(refusalOf(scope, 'deleteSpace'));
    return;
  }
  const namespace = spaceNamespace(ref.organization, ref.tenant, ref.name);
  const confirmed = await vscode.window.showWarningMessage(
    `Delete Space ${key}?`,
    {
      modal: true,
      detail: `Its namespace ${namespace} and everything running in it are deleted, and its allocation goes back to tenant ${ref.organization}/${ref.tenant}. This cannot be undone.`,
    },
    'Delete',
  );
  if (confirmed !== 'Delete') return;
  try {
    const { kit } = await container.connection.current();
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Deleting Space ${key}` },
      async (progress) => {
        progress.report({ message: `removing namespace ${namespace}…` });
        await kit.spaces.delete(ref);
      },
    );
    container.log.info(`space ${key} deleted`);
    void vscode.window.showInformationMessage(`Space ${key} was deleted.`);
  } catch (err) {
    await reportError(container.log, { doing: `delete Space ${key}`, whoCan: WHO_CAN.deleteSpace }, err);
  }
}
