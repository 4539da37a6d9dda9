import type { Condition } from '../model/index.ts';

/** A condition as reconcile decides it, before timestamps. */
export interface ConditionUpdate {
  type: string;
  status: Condition['status'];
  reason: string;
  message: string;
}

/**
 * Sets one condition, keeping its lastTransitionTime when the status did not
 * change, as the Kubernetes API conventions ask.
 */
export function setCondition(
  existing: readonly Condition[] | undefined,
  update: ConditionUpdate,
  observedGeneration: number | undefined,
  now: () => string = () => new Date().toISOString(),
): Condition[] {
  const list = [...(existing ?? [])];
  const index = list.findIndex((c) => c.type === update.type);
  const previous = index >= 0 ? list[index] : undefined;
  const next: Condition = {
    ...update,
    ...(observedGeneration !== undefined && { observedGeneration }),
    lastTransitionTime: previous && previous.status === update.status ? previous.lastTransitionTime : now(),
  };
  if (index >= 0) list[index] = next;
  else list.push(next);
  return list;
}
