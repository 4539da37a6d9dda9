import * as vscode from 'vscode';
import type { Container } from '../../container.ts';
import { scopeKey, spaceAddress } from '../../model/scope.ts';
import { describeSize, sizeOf, withSize } from '../../model/spaceInput.ts';
import { human } from '../../model/usage.ts';
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
  try {
    const { kit } = await container.connection.current();
    const space = await kit.spaces.get(ref);
    const resources = space.spec.resources as Record<string, string | number>;
    const current = sizeOf(resources);
    const room = await tenantRoom(kit, { organization: ref.organization, tenant: ref.tenant }, resources);
    const size = await sizeStep(
      { title: `Resize Space ${key} (now ${describeSize({ cpu: human('requests.cpu', current.cpu), memory: human('requests.memory', current.memory) })})`, step: 1, totalSteps: 1 },
      { base: ref, presets: container.settings().sizePresets, free: room.free, owner: `tenant ${ref.organization}/${ref.tenant}`, current },
    );
    if (!size || typeof size === 'symbol') return;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Resizing Space ${key} to ${describeSize(size)}` }, () =>
      kit.spaces.update(ref, { resources: withSize(resources, size) }),
    );
    container.log.info(`space ${key} resized to ${describeSize(size)}`);
    void vscode.window.showInformationMessage(`Space ${key} now has ${describeSize(size)}.`);
  } catch (err) {
    await reportError(container.log, `resize Space ${key}`, err);
  }
}
