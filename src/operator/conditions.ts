import type { TenantCondition } from '../api/tenant.ts';

/** A condition as a reconcile decides it; the transition time is filled in by setCondition. */
export type ConditionUpdate = Pick<TenantCondition, 'type' | 'status' | 'reason' | 'message'>;

/**
 * Sets a condition in a list, Kubernetes-style: lastTransitionTime changes only when the status changes,
 * so a reconcile that finds nothing new produces an identical list (and no status write).
 */
export function setCondition(
  conditions: TenantCondition[],
  update: ConditionUpdate,
  generation: number,
  now: string,
): TenantCondition[] {
  const existing = conditions.find((condition) => condition.type === update.type);
  const lastTransitionTime = existing && existing.status === update.status ? existing.lastTransitionTime : now;
  const next: TenantCondition = { ...update, observedGeneration: generation, lastTransitionTime };
  return existing
    ? conditions.map((condition) => (condition.type === update.type ? next : condition))
    : [...conditions, next];
}
