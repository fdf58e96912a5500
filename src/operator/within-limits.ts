import type { Tenant, TenantSpec } from '../api/tenant.ts';
import { acceptedSpecOf, judgeLimits } from '../tenancy/ceilings.ts';
import type { ConditionUpdate } from './conditions.ts';
import type { ReconcileContext } from './context.ts';
import type { Informer } from '../kube/informer.ts';

/** The condition that says whether the spec is within the platform's ceilings and its group's budget. */
export const withinLimitsCondition = 'WithinLimits';

/** What the limits decide for one reconcile. */
export interface LimitsDecision {
  /** The tenant as the operator provisions it: as it is, or with its last accepted spec while its own is refused. */
  effective: Tenant;
  /** What status.acceptedSpec holds after this reconcile if the effective tenant is applied. */
  accepted: TenantSpec | undefined;
  condition: ConditionUpdate;
  /** A tenant never accepted whose spec is refused: Failed, nothing applied. */
  blocker?: { reason: string; message: string };
}

/**
 * Judges the tenant against the platform's ceilings and its group's budget. A new tenant beyond them is refused
 * whole; a change beyond them to a tenant already provisioned is not applied: the tenant is held at the spec last
 * accepted (status.acceptedSpec, which only the operator writes), drift corrected against it, until its spec comes
 * back within limits.
 */
export function decideLimits(ctx: ReconcileContext, tenant: Tenant): LimitsDecision {
  const verdict = judgeLimits(tenant, groupMates(ctx.tenants, tenant), ctx.platform);
  if (verdict.within) {
    const message = "the spec is within the platform's ceilings and its group's budget";
    return {
      effective: tenant,
      accepted: tenant.spec,
      condition: { type: withinLimitsCondition, status: 'True', reason: 'WithinLimits', message },
    };
  }
  const accepted = acceptedSpecOf(tenant);
  if (!accepted) {
    const message = `nothing applied: ${verdict.message}`;
    return {
      effective: tenant,
      accepted,
      condition: { type: withinLimitsCondition, status: 'False', reason: verdict.reason, message },
      blocker: { reason: verdict.reason, message },
    };
  }
  const message = `the change is not applied; the tenant keeps its last accepted spec: ${verdict.message}`;
  return {
    effective: { ...tenant, spec: accepted },
    accepted,
    condition: { type: withinLimitsCondition, status: 'False', reason: verdict.reason, message },
  };
}

/** The index keys of a tenant's directory groups, as it asks and as last accepted (a team name holds no ':'). */
export function groupIndexKeys(tenant: Tenant): string[] {
  return tenantGroups(tenant).map((group) => `adGroup:${group}`);
}

/** The index keys of a tenant held back by the limits, one per group it is in; none when it is within them. */
export function heldBackIndexKeys(tenant: Tenant): string[] {
  return isHeldBack(tenant) ? tenantGroups(tenant).map((group) => `heldBack:${group}`) : [];
}

function tenantGroups(tenant: Tenant): string[] {
  return [tenant.spec.adGroup, acceptedSpecOf(tenant)?.adGroup].filter((group) => group !== undefined);
}

function isHeldBack(tenant: Tenant): boolean {
  return tenant.status?.conditions?.some((c) => c.type === withinLimitsCondition && c.status === 'False') ?? false;
}

/** Every tenant in one of the tenant's groups (itself included), from the index: no scan of every tenant. */
function groupMates(tenants: Informer<Tenant>, tenant: Tenant): Tenant[] {
  const mates = new Map<string, Tenant>();
  for (const key of groupIndexKeys(tenant)) {
    for (const mate of tenants.byIndex(key)) mates.set(mate.metadata.name, mate);
  }
  return [...mates.values()];
}

/**
 * The other tenants of a changed tenant's groups that are held back by the limits: what the change frees (a tenant
 * shrunk or gone) may now let them in, so they are judged again at once rather than at the next resync. Found by
 * their index keys alone: a change costs nothing per group mate within the limits.
 */
export function heldBackInGroup(tenants: Informer<Tenant>, changed: Tenant): string[] {
  const names = new Set(tenantGroups(changed).flatMap((group) => tenants.keysByIndex(`heldBack:${group}`)));
  names.delete(changed.metadata.name);
  return [...names];
}

/**
 * A Warning event when a change to a provisioned tenant is first refused (per generation): the phase stays Ready,
 * so no phase transition would tell anyone.
 */
export async function recordRefusedChange(ctx: ReconcileContext, tenant: Tenant, limits: LimitsDecision) {
  if (limits.blocker || limits.condition.status !== 'False') return;
  const before = tenant.status?.conditions?.find((condition) => condition.type === withinLimitsCondition);
  if (before?.status === 'False' && before.observedGeneration === tenant.metadata.generation) return;
  await ctx.events.record(tenant, 'Warning', limits.condition.reason, limits.condition.message);
}
