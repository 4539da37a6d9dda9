import type * as vscode from 'vscode';
import { registerCommands } from './commands/registerCommands.ts';
import { Container } from './container.ts';

/** Activated by opening the Spacekit view or running one of its commands (never `*`). */
export function activate(context: vscode.ExtensionContext): void {
  const container = new Container(context);
  context.subscriptions.push(container, registerCommands(container));
  container.log.info(`Spacekit ${String(context.extension.packageJSON.version)} activated`);
}

export function deactivate(): void {
  // Everything is released through context.subscriptions.
}
