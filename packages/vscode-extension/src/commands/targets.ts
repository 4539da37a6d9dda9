import * as vscode from 'vscode';
import type { Container } from '../container.ts';
import { levelOf, type Scope, scopeKey } from '../model/scope.ts';
import { flatten, type ViewNode } from '../model/viewTree.ts';

/**
 * The scope a command was invoked on: a tree row (menus pass the row), a
 * scope (the status bar and error buttons pass one), or nothing (the palette).
 */
export function scopeOf(arg: unknown): Scope | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const candidate = 'scope' in arg ? (arg as ViewNode).scope : arg;
  return typeof (candidate as Scope).organization === 'string' ? (candidate as Scope) : undefined;
}

/**
 * The target of a command at `level`: the argument when it is one, else the
 * selected row, else one the user picks among the readable rows of the
 * Spaces view.
 */
export async function target(
  container: Container,
  arg: unknown,
  level: 'organization' | 'tenant' | 'space' | 'any',
  placeHolder: string,
): Promise<Scope | undefined> {
  const fits = (scope: Scope | undefined) => scope !== undefined && (level === 'any' || levelOf(scope) === level);
  const given = scopeOf(arg);
  if (fits(given)) return given;
  const selected = container.spaces.selected();
  if (selected?.usage && fits(selected.scope)) return selected.scope;
  const candidates = flatten(container.spaces.model.nodes).filter((n) => n.usage && fits(n.scope));
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(
      `No ${level === 'any' ? 'Organization, Tenant or Space' : level} to choose from: open the Spacekit view and check what it shows.`,
    );
    return undefined;
  }
  if (candidates.length === 1) return candidates[0]?.scope;
  const picked = await vscode.window.showQuickPick(
    candidates.map((n) => ({ label: scopeKey(n.scope), description: n.description, detail: n.kind, scope: n.scope })),
    { placeHolder, matchOnDescription: true },
  );
  return picked?.scope;
}
