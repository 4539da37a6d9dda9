import * as vscode from 'vscode';
import type { Log } from '../log.ts';
import { type Attempt, describeError } from '../model/errors.ts';

/**
 * Shows a failure with the SDK's actionable message and the buttons that
 * help (open the budget, switch context, show logs), and logs it in full.
 */
export async function reportError(log: Log, attempt: string | Attempt, err: unknown): Promise<void> {
  log.error(`could not ${typeof attempt === 'string' ? attempt : attempt.doing}`, err);
  const report = describeError(attempt, err);
  const choice = await vscode.window.showErrorMessage(report.message, ...report.actions.map((a) => a.title));
  const action = report.actions.find((a) => a.title === choice);
  if (action) await vscode.commands.executeCommand(action.command, ...(action.args ?? []));
}
