import type { Rights } from '@spacekit/sdk';
import { levelOf, type Scope, scopeKey } from './scope.ts';

/** An action of the Spaces view that needs a right at its row's level. */
export type Action = 'createSpace' | 'resizeSpace' | 'deleteSpace';

/** Which right each action needs, and which level it is offered at. */
const NEEDS: Record<Action, { right: keyof Omit<Rights, 'incomplete'>; level: 'tenant' | 'space' }> = {
  createSpace: { right: 'createSpace', level: 'tenant' },
  resizeSpace: { right: 'updateSpace', level: 'space' },
  deleteSpace: { right: 'deleteSpace', level: 'space' },
};

/** What the action is called in words, for "you may not …". */
const DOING: Record<Action, string> = { createSpace: 'create Spaces in', resizeSpace: 'resize', deleteSpace: 'delete' };

/** The roles that grant each action, as Spacekit's ClusterRoles grant them. */
export const WHO_CAN: Record<Action, string> = {
  createSpace: "the Tenant's admins",
  resizeSpace: "the Tenant's admins",
  deleteSpace: "the Tenant's admins",
};

/** The actions offered at a row's level. */
export function actionsAt(scope: Scope): Action[] {
  const level = levelOf(scope);
  return (Object.keys(NEEDS) as Action[]).filter((a) => NEEDS[a].level === level);
}

/**
 * Whether the rights allow an action. Unknown rights (not asked yet, or the
 * review failed) allow nothing: an action appears once the server said so,
 * rather than being offered and then refused.
 */
export function may(rights: Rights | undefined, action: Action): boolean {
  return rights?.[NEEDS[action].right] === true;
}

/** The `contextValue` words of the allowed actions (`may-resizeSpace may-deleteSpace`), which the menus' `when` clauses match. */
export function rightsContext(scope: Scope, rights: Rights | undefined): string {
  return actionsAt(scope)
    .filter((a) => may(rights, a))
    .map((a) => ` may-${a}`)
    .join('');
}

/** The tooltip line for what the user may not do here, and who can; empty when nothing is withheld. */
export function withheldNote(scope: Scope, rights: Rights | undefined): string {
  if (rights === undefined) return '';
  const withheld = actionsAt(scope).filter((a) => !may(rights, a));
  if (withheld.length === 0) return '';
  const byWho = new Map<string, Action[]>();
  for (const a of withheld) byWho.set(WHO_CAN[a], [...(byWho.get(WHO_CAN[a]) ?? []), a]);
  const parts = [...byWho].map(([who, actions]) => `${listOf(actions.map((a) => DOING[a]))} it: ${who} can`);
  return `You may not ${parts.join('; ')}.`;
}

/** Why an action is refused before it is tried, with who can do it instead. */
export function refusalOf(scope: Scope, action: Action): string {
  const what = `${levelOf(scope) === 'space' ? 'Space' : 'Tenant'} ${scopeKey(scope)}`;
  return `You may not ${DOING[action]} ${what}: ${WHO_CAN[action]} can. Ask one of them, or switch to a context that has the right.`;
}

function listOf(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1) ?? ''}`;
}
