import { ValidationError } from '../errors.ts';
import { CONDITION_REASONS as R, CONDITION_TYPES as C, LABELS, MANAGER } from '../model/index.ts';
import type { KubeObject } from '../render/index.ts';
import type { ConditionUpdate } from './conditions.ts';
import type { EngineContext } from './context.ts';
import type { Outcome } from './outcome.ts';
import type { StatusDecision } from './status.ts';

/** A Ready=False condition. */
export function notReady(reason: string, message: string): ConditionUpdate {
  return { type: C.ready, status: 'False', reason, message };
}

/** What a level's reconcile writes and returns when it stops early. */
export interface Blocked {
  decision: StatusDecision;
  outcome: Outcome;
}

/** A spec refused by the schema or by policy: the issues as one line, in the words of a ValidationError. */
export function invalid(label: string, reason: string, issues: readonly { path: string; message: string }[]): Blocked {
  const message = new ValidationError(label, issues).message.replace(/\n\s*/g, ' ');
  return { decision: { phase: 'Failed', conditions: [notReady(reason, message)] }, outcome: 'invalid' };
}

/** Zod issues as validation issues. */
export function issuesOf(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/**
 * Why a level's namespace cannot be provisioned now: it is still being
 * deleted (a level of the same name was deleted a moment ago), or someone
 * else made a namespace of that name. Undefined when it can be.
 */
export async function namespaceBlocker(
  ctx: EngineContext,
  namespace: string,
  level: NamespaceLevel,
  fresh: boolean,
): Promise<Blocked | undefined> {
  return namespaceProblem(fresh ? undefined : await ctx.reader.namespace(namespace), namespace, level);
}

type NamespaceLevel = 'Space' | 'Tenant' | 'Organization';

/** {@link namespaceBlocker}'s decision, from the namespace as it stands (undefined when there is none). */
export function namespaceProblem(live: KubeObject | undefined, namespace: string, level: NamespaceLevel): Blocked | undefined {
  if (live?.metadata.deletionTimestamp) {
    const message = `namespace ${namespace} is still being deleted; the ${level} is provisioned again once it is gone`;
    return { decision: { phase: 'Pending', conditions: [notReady(R.parentNotReady, message)] }, outcome: 'waiting' };
  }
  if (live && live.metadata.labels?.[LABELS.managedBy] !== MANAGER) {
    const message = `namespace ${namespace} already exists and is not managed by Spacekit; remove it or choose another ${level} name`;
    return { decision: { phase: 'Failed', conditions: [notReady(R.provisioningFailed, message)] }, outcome: 'invalid' };
  }
  return undefined;
}
