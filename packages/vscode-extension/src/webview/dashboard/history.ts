import type { TreeNode } from '@spacekit/sdk';
import { type Scope, scopeKey } from '../../model/scope.ts';
import type { HistoryPoint } from './protocol.ts';
import { appendHistory } from './view.ts';

/** Where a dashboard's opening history comes from, in words the page shows. */
export interface HistorySource {
  /** When the session first saw this scope (ms since the epoch), if it has. */
  since?: number;
}

/**
 * The usage history this editor session has seen, per Organization, Tenant
 * and Space: every snapshot the Spaces view's watches and the dashboards'
 * watches receive, for the scope and everything below it. A dashboard opens
 * with it, so its chart starts from what the session saw rather than empty.
 * Bounded: at most {@link HISTORY_LIMIT} changes per scope, and a snapshot
 * that changes nothing adds no point (the chart holds a value until the next).
 */
export class UsageHistory {
  readonly #points = new Map<string, HistoryPoint[]>();
  readonly #since = new Map<string, number>();

  /** Records a snapshot of `scope` (and of every level below it) taken at `at`. */
  record(scope: Scope, node: TreeNode, at: number): void {
    const key = scopeKey(scope);
    const before = this.#points.get(key) ?? [];
    const after = appendHistory(before, node, at);
    const added = after.at(-1);
    const last = before.at(-1);
    if (!this.#since.has(key)) this.#since.set(key, at);
    if (!(last && added && samePercent(last, added))) this.#points.set(key, after);
    for (const child of node.children) this.record(childScope(scope, child), child, at);
  }

  /** The points seen for a scope, oldest first. */
  of(scope: Scope): HistoryPoint[] {
    return [...(this.#points.get(scopeKey(scope)) ?? [])];
  }

  /** Since when the session has watched a scope. */
  source(scope: Scope): HistorySource {
    const since = this.#since.get(scopeKey(scope));
    return since === undefined ? {} : { since };
  }

  /** Forgets everything, as after a change of kubeconfig or context (another cluster, another user). */
  clear(): void {
    this.#points.clear();
    this.#since.clear();
  }
}

function childScope(scope: Scope, child: TreeNode): Scope {
  if (child.kind === 'Tenant') return { organization: scope.organization, tenant: child.name };
  return { organization: scope.organization, tenant: scope.tenant ?? '', space: child.name };
}

function samePercent(a: HistoryPoint, b: HistoryPoint): boolean {
  const keys = new Set([...Object.keys(a.percent), ...Object.keys(b.percent)]);
  return [...keys].every((k) => a.percent[k] === b.percent[k]);
}
