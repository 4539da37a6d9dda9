import { humanAmount } from '@spacekit/sdk';
import * as vscode from 'vscode';
import type { Container } from '../../container.ts';
import { scopeKey, spaceAddress } from '../../model/scope.ts';
import { may, refusalOf, WHO_CAN } from '../../model/rights.ts';
import { belowUsage, describeSize, sizeOf, withSize } from '../../model/spaceInput.ts';
import { reportError } from '../report.ts';
import { target } from '../targets.ts';
import { sizeStep } from './sizeStep.ts';
import { tenantRoom } from './tenantBudget.ts';

/**
 * Resizes a Space: the same size step as creation, against the tenant's
 * remaining budget plus what the Space holds now, then `kit.spaces.update`.
 */
export async function resizeSpace(container: Container, arg?: unknown): Promise<void> {
  const scope = await target(container, arg, 'space', 'Space to resize');
  const ref = scope && spaceAddress(scope);
  if (!scope || !ref) return;
  const key = scopeKey(scope);
  if (!may(container.spaces.model.rights(scope), 'resizeSpace')) {
    void vscode.window.showWarningMessage(refusalOf(scope, 'resizeSpace'));
    return;
  }
  try {
    const { kit } = await container.connection.current();
    const space = await kit.spaces.get(ref);
    const resources = space.spec.resources as Record<string, string | number>;
    const current = sizeOf(resources);
    const room = await tenantRoom(kit, { organization: ref.organization, tenant: ref.tenant }, resources);
    const now = describeSize({ cpu: humanAmount('requests.cpu', current.cpu), memory: humanAmount('requests.memory', current.memory) });
    const size = await sizeStep(
      { title: `Resize Space ${key} (now ${now})` },
      { base: ref, presets: container.settings().sizePresets, free: room.free, owner: `tenant ${ref.organization}/${ref.tenant}`, current },
    );
    if (!size || typeof size === 'symbol') return;
    const below = belowUsage(size, (await kit.usage.snapshot(scope)).root.used);
    if (below.length > 0) {
      const confirmed = await vscode.window.showWarningMessage(
        `Shrink Space ${key} below what it uses now?`,
        {
          modal: true,
          detail: `${below.join(', ')}. Running pods keep running, but the Space is over budget at once and new pods (a rollout, a restart) are refused until usage falls under the new size.`,
        },
        'Shrink',
      );
      if (confirmed !== 'Shrink') return;
    }
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Resizing Space ${key} to ${describeSize(size)}` },
      () => kit.spaces.update(ref, { resources: withSize(resources, size) }),
    );
    container.log.info(`space ${key} resized to ${describeSize(size)}`);
    void vscode.window.showInformationMessage(`Space ${key} now has ${describeSize(size)}.`);
  } catch (err) {
    await reportError(
      container.log,
      {
        doing: `resize Space ${key}`,
        whoCan: WHO_CAN.resizeSpace,
        retry: { title: 'Try Again', command: 'spacekit.resizeSpace', args: [scope] },
      },
      err,
    );
  }
}
