import type { SandboxMode, Spacekit } from '@spacekit/sdk';
import * as vscode from 'vscode';
import type { Container } from '../../container.ts';
import { describeAmounts, remainingBudget } from '../../model/budget.ts';
import { type Scope, scopeKey } from '../../model/scope.ts';
import { createInput, describeSize, NETWORK_CHOICES, SANDBOX_CHOICES, type Size, spaceNameProblem } from '../../model/spaceInput.ts';
import { flatten } from '../../model/viewTree.ts';
import { reportError } from '../report.ts';
import { scopeOf } from '../targets.ts';
import { sizeStep } from './sizeStep.ts';
import { BACK, inputStep, pickStep, type StepPosition } from './steps.ts';
import { may, refusalOf, WHO_CAN } from '../../model/rights.ts';
import { tenantRoom, type TenantRoom } from './tenantBudget.ts';

const TITLE = 'Create Space';
const TOTAL_STEPS = 5;

type Tenant = { organization: string; tenant: string };

/**
 * The guided flow: tenant, name, size (presets or custom), sandbox, network.
 * Names and sizes are validated as the user types, with the SDK's own
 * schemas and the tenant's remaining budget, so nothing invalid or too big
 * is sent. Then it creates the Space and reports progress until it is Ready.
 */
export async function createSpace(container: Container, arg?: unknown): Promise<void> {
  const given = scopeOf(arg);
  let tenant: Tenant | undefined = given?.tenant !== undefined ? { organization: given.organization, tenant: given.tenant } : undefined;
  const fixedTenant = tenant !== undefined;
  let room: TenantRoom | undefined;
  let name = '';
  let size: Size | undefined;
  let sandbox: SandboxMode = 'gvisor';
  let network: (typeof NETWORK_CHOICES)[number]['preset'] = 'isolated';
  let step = fixedTenant ? 2 : 1;
  if (tenant && !may(container.spaces.model.rights(tenant), 'createSpace')) {
    void vscode.window.showWarningMessage(refusalOf(tenant, 'createSpace'));
    return;
  }

  let kit: Spacekit;
  try {
    kit = (await container.connection.current()).kit;
  } catch (err) {
    await reportError(container.log, 'start creating a Space', err);
    return;
  }

  while (step <= TOTAL_STEPS) {
    // A flow started on a Tenant skips choosing one: its counter starts at 1 of 4, not 2 of 5.
    const skipped = fixedTenant ? 1 : 0;
    const position = { title: TITLE, step: step - skipped, totalSteps: TOTAL_STEPS - skipped };
    if (step === 1) {
      const picked = await pickTenant(container, position);
      if (!picked) return;
      tenant = picked;
      room = undefined;
      step = 2;
      continue;
    }
    if (!tenant) return;
    const chosen = tenant;
    const owner = `tenant ${chosen.organization}/${chosen.tenant}`;
    if (!room) {
      try {
        room = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading the budget of ${owner}` }, () =>
          tenantRoom(kit, chosen),
        );
      } catch (err) {
        await reportError(container.log, `read the budget of ${owner}`, err);
        return;
      }
    }
    const spaces = room.spaces;
    const free = room.free;
    if (step === 2) {
      const answer = await inputStep({
        ...position,
        prompt: `Name of the new Space in ${owner}: lowercase letters, digits and single hyphens. ${owner} has ${describeAmounts(free)} free.`,
        placeholder: 'such as preview or feature-x',
        value: name,
        validate: (value) => spaceNameProblem(chosen, value, spaces),
      });
      if (answer === undefined) return;
      if (answer === BACK) {
        if (fixedTenant) return;
        step = 1;
        continue;
      }
      name = answer;
      step = 3;
      continue;
    }
    if (step === 3) {
      const answer = await sizeStep(position, { base: { ...chosen, name }, presets: container.settings().sizePresets, free, owner });
      if (answer === undefined) return;
      if (answer === BACK) {
        step = 2;
        continue;
      }
      size = answer;
      step = 4;
      continue;
    }
    if (step === 4) {
      const items = SANDBOX_CHOICES.map((c) => ({ label: c.sandbox, detail: c.detail, sandbox: c.sandbox }));
      const answer = await pickStep({
        ...position,
        items,
        placeholder: 'Sandbox for the pods',
        active: items.find((i) => i.sandbox === sandbox),
      });
      if (answer === undefined) return;
      if (answer === BACK) {
        step = 3;
        continue;
      }
      sandbox = answer.sandbox;
      step = 5;
      continue;
    }
    const items = NETWORK_CHOICES.map((c) => ({ label: c.preset, detail: c.detail, preset: c.preset }));
    const answer = await pickStep({
      ...position,
      items,
      placeholder: 'Who may connect to its pods',
      active: items.find((i) => i.preset === network),
    });
    if (answer === undefined) return;
    if (answer === BACK) {
      step = 4;
      continue;
    }
    network = answer.preset;
    step = 6;
  }
  if (!tenant || !size) return;
  await provision(container, createInput({ ...tenant, name }, size, sandbox, network), size);
}

async function pickTenant(container: Container, position: StepPosition): Promise<Tenant | undefined> {
  const readable = flatten(container.spaces.model.nodes).filter((n) => n.kind === 'Tenant' && n.usage);
  const tenants = readable.filter((n) => may(container.spaces.model.rights(n.scope), 'createSpace'));
  if (tenants.length === 0) {
    void vscode.window.showInformationMessage(
      readable.length === 0
        ? 'There is no Tenant you may read. Open the Spacekit view to see why, or add your tenant with "Spacekit: Add Scope…".'
        : `You may not create Spaces in ${readable.map((n) => scopeKey(n.scope)).join(', ')}: ${WHO_CAN.createSpace} can.`,
    );
    return undefined;
  }
  const items = tenants.map((n) => {
    const usage = n.usage;
    const free = usage ? remainingBudget(usage.budget, usage.allocated) : new Map<string, bigint>();
    return { label: scopeKey(n.scope), description: `${describeAmounts(free)} free`, scope: n.scope };
  });
  const answer = await pickStep({ ...position, items, placeholder: 'Tenant of the new Space' });
  if (answer === undefined || answer === BACK) return undefined;
  const scope: Scope = answer.scope;
  return scope.tenant !== undefined ? { organization: scope.organization, tenant: scope.tenant } : undefined;
}

async function provision(container: Container, input: ReturnType<typeof createInput>, size: Size): Promise<void> {
  const key = `${input.organization}/${input.tenant}/${input.name}`;
  container.log.info(`creating space ${key} (${describeSize(size)}, sandbox ${input.sandbox}, network ${input.network?.preset})`);
  try {
    const { kit } = await container.connection.current();
    const space = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Creating Space ${key}` },
      async (progress) => {
        progress.report({ message: 'reserving its budget and provisioning: namespace, quota, network policies, access…' });
        const created = await kit.spaces.create(input);
        progress.report({ message: 'Ready', increment: 100 });
        return created;
      },
    );
    container.log.info(`space ${key} is Ready in namespace ${space.status?.namespace}`);
    const scope = { organization: input.organization, tenant: input.tenant, space: input.name };
    const choice = await vscode.window.showInformationMessage(
      `Space ${key} is Ready (namespace ${space.status?.namespace ?? '?'}).`,
      'Open Terminal',
      'Open Dashboard',
    );
    if (choice === 'Open Terminal') await vscode.commands.executeCommand('spacekit.openTerminal', scope);
    if (choice === 'Open Dashboard') await vscode.commands.executeCommand('spacekit.openDashboard', scope);
  } catch (err) {
    await reportError(container.log, { doing: `create Space ${key}`, whoCan: WHO_CAN.createSpace }, err);
  }
}
