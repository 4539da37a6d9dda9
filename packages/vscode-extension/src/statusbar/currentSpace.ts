import { parseNamespace, type TreeNode } from '@spacekit/sdk';
import { parseScope, type Scope, scopeKey } from '../model/scope.ts';
import { usageSummary } from '../model/usage.ts';
import { stateOf } from '../model/viewTree.ts';

/** Why the status bar follows the Space it follows. */
export type CurrentSpaceReason = 'setting' | 'context' | 'selected';

/**
 * The Space the user works in: the `spacekit.space` setting, else the
 * kubeconfig context's namespace when it is a Space's, else the Space last
 * selected in the Spaces view (or last opened a terminal in).
 */
export function currentSpace(inputs: {
  setting: string;
  contextNamespace?: string | undefined;
  selected?: Scope | undefined;
}): { scope: Scope; reason: CurrentSpaceReason } | undefined {
  if (inputs.setting.trim()) {
    const parsed = parseScope(inputs.setting);
    if ('scope' in parsed && parsed.scope.space !== undefined) return { scope: parsed.scope, reason: 'setting' };
  }
  const fromContext = inputs.contextNamespace ? parseNamespace(inputs.contextNamespace) : undefined;
  if (fromContext?.space !== undefined) return { scope: fromContext, reason: 'context' };
  if (inputs.selected?.space !== undefined) return { scope: inputs.selected, reason: 'selected' };
  return undefined;
}

/**
 * The status bar's text: the Space's whole path (`acme/payments/dev`, since Space names repeat
 * across Tenants) and its usage, with a warning icon when it is over budget or failed.
 */
export function statusText(scope: Scope, node: TreeNode | undefined): string {
  const name = scopeKey(scope);
  if (!node) return `$(server-environment) ${name}`;
  const state = stateOf(node);
  const icon =
    state === 'overBudget' || state === 'failed' ? '$(warning)' : state === 'provisioning' ? '$(sync~spin)' : '$(server-environment)';
  const usage = usageSummary(node);
  return `${icon} ${name}${usage ? `  ${usage}` : ''}`;
}
