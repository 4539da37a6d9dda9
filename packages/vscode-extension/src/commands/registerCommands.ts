import * as vscode from 'vscode';
import type { Container } from '../container.ts';
import { COMMAND_IDS, type CommandId } from './commandIds.ts';
import { addScope, removeScope, selectKubeconfig, switchContext } from './connection/connectionCommands.ts';
import { createSpace } from './spaces/createSpace.ts';
import { deleteSpace } from './spaces/deleteSpace.ts';
import { resizeSpace } from './spaces/resizeSpace.ts';
import { openDashboard } from './usage/openDashboard.ts';
import { copyKubeconfig, openTerminal, saveKubeconfig, workInSpace } from './work/kubeconfigs.ts';

type Command = (container: Container, arg?: unknown) => unknown;

/** What each command does; its type makes the table and {@link COMMAND_IDS} name the same commands. */
export const COMMANDS: Record<CommandId, Command> = {
  'spacekit.refresh': (c) => c.connection.reset('refresh requested'),
  'spacekit.createSpace': createSpace,
  'spacekit.resizeSpace': resizeSpace,
  'spacekit.deleteSpace': deleteSpace,
  'spacekit.openDashboard': openDashboard,
  'spacekit.openTerminal': openTerminal,
  'spacekit.copyKubeconfig': copyKubeconfig,
  'spacekit.saveKubeconfig': saveKubeconfig,
  'spacekit.workInSpace': workInSpace,
  'spacekit.switchContext': switchContext,
  'spacekit.selectKubeconfig': selectKubeconfig,
  'spacekit.addScope': addScope,
  'spacekit.removeScope': removeScope,
  'spacekit.openSettings': () => vscode.commands.executeCommand('workbench.action.openSettings', '@ext:spacekit.spacekit'),
  'spacekit.showLogs': (c) => c.log.show(),
};

/** Registers every command with the container it acts through. */
export function registerCommands(container: Container): vscode.Disposable {
  const registrations = COMMAND_IDS.map((id) => vscode.commands.registerCommand(id, (arg?: unknown) => COMMANDS[id](container, arg)));
  return vscode.Disposable.from(...registrations);
}
