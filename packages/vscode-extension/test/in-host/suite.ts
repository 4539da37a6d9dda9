// The in-host suite run by test/run-in-vscode.ts inside a desktop VS Code: a
// plain script (no test framework) that throws on the first failure.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'spacekit.spacekit';

async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Entry point @vscode/test-electron calls. */
export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  assert.equal(extension.isActive, false, 'it does not activate at startup (no "*" activation)');

  const contributed = (extension.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map(
    (c) => c.command,
  );
  await vscode.commands.executeCommand('workbench.view.extension.spacekit');
  await eventually('activation by opening the view', () => (extension.isActive ? true : undefined));
  const registered = new Set(await vscode.commands.getCommands(true));
  for (const command of contributed) assert.ok(registered.has(command), `${command} is registered`);

  const settings = vscode.workspace.getConfiguration('spacekit');
  assert.equal(settings.get('refreshDebounceMs'), 500);
  assert.deepEqual(settings.get('scopes'), []);

  // Commands that need no cluster must not throw without one.
  await vscode.commands.executeCommand('spacekit.showLogs');
  await vscode.commands.executeCommand('spacekit.refresh');
}
