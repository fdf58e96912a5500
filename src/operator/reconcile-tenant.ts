import type { Tenant, TenantCondition, TenantSpec, TenantStatus } from '../api/tenant.ts';
import { acceptedSpecOf } from '../tenancy/ceilings.ts';
import type { HandlerResult } from '../kube/workqueue.ts';
import { buildDesiredState } from '../tenancy/desired-state.ts';
import { tenantNamespaces } from '../tenancy/names.ts';
import { teamRepoProblem, teamSource } from '../tenancy/team-repository.ts';
import { type ConditionUpdate, setCondition } from './conditions.ts';
import type { ReconcileContext } from './context.ts';
import { finalizeTenant } from './finalize-tenant.ts';
import { hasFinalizer, setFinalizer } from './finalizer.ts';
import { type Failure, holdConcerns } from './hold-concerns.ts';
import { releaseOrphanedNodes } from './node-pool/orphan-nodes.ts';
import { nameVerdict } from './name-verdict.ts';
import { type HeldObject, sortHeld } from './held-record.ts';
import { pruneUndesired } from './prune.ts';
import { recordQuotaMetrics } from './quota-metrics.ts';
import { writeStatus } from './tenant-status.ts';
import { decideLimits, type LimitsDecision, recordRefusedChange } from './within-limits.ts';
import { isHouse } from '../tenancy/house/is-house.ts';
import { houseRefusal } from '../tenancy/house/refusal.ts';
import { hasHouseArgoCd } from '../tenancy/house/tenant-argocd.ts';
import { houseArgoCdURL } from '../tenancy/house-address.ts';
import { gateHouseArgoCd } from '../tenancy/house/argocd-gate.ts';
import { houseArgoCdApplicationName, houseNamespaceName } from '../tenancy/names.ts';
import { holdHouse, type HouseOutcome } from './house/hold-house.ts';
import type { PoolOutcome } from './node-pool/hold-node-pool.ts';

/** Brings one tenant in line with its spec: finalizer, desired objects, pruning, status. */
export async function reconcileTenant(ctx: ReconcileContext, name: string): Promise<HandlerResult | void> {
  const tenant = ctx.tenants.get(name);
  if (!tenant) return releaseOrphanedNodes(ctx, name);
  if (tenant.metadata.deletionTimestamp) return finalizeTenant(ctx, tenant);
  if (!hasFinalizer(tenant)) {
    // The update event of this write brings the tenant back with its finalizer.
    await setFinalizer(ctx.http, tenant, true, ctx.countWrite);
    return;
  }
  const limits = decideLimits(ctx, tenant);
  const blocker = whyNotProvisioned(ctx, tenant) ?? limits.blocker;
  const previous = tenant.status?.heldObjects ?? [];
  if (blocker) {
    const ready: ConditionUpdate = { type: 'Ready', status: 'False', ...blocker };
    const unchanged = {
      outcomes: [limits.condition],
      held: previous,
      accepted: acceptedSpecOf(tenant),
      nodePool: tenant.status?.nodePool,
    };
    return settle(ctx, tenant, unchanged, ready, 'Failed');
  }
  // While a change is beyond the limits, the tenant is provisioned (and its drift corrected) as last accepted.
  await recordRefusedChange(ctx, tenant, limits);
  return provision(ctx, limits.effective, previous, limits);
}

/** Holds every concern, prunes what is no longer wanted, and settles the status. */
async function provision(
  ctx: ReconcileContext,
  tenant: Tenant,
  previous: HeldObject[],
  limits: Pick<LimitsDecision, 'accepted' | 'condition'>,
): Promise<HandlerResult | void> {
  const state = appliedState(ctx, tenant);
  const { outcomes, failed, held, pool } = await holdConcerns(ctx, tenant, state);
  if (!failed) await pruneUndesired(ctx, tenant, state);
  const house = await houseAfterConcerns(ctx, tenant, failed);
  const { ready, phase } = verdict(failed, waitingFor(pool, house));
  // After a failure nothing was pruned: the record keeps what it had, so nothing created is ever forgotten.
  const record = failed ? mergeHeld(previous, held) : held;
  const nodePool = pool ? pool.status : tenant.status?.nodePool;
  await settle(
    ctx,
    tenant,
    {
      outcomes: [limits.condition, ...outcomes, ...houseOutcomes(house)],
      held: record,
      accepted: limits.accepted,
      nodePool,
      house,
    },
    ready,
    phase,
  );
  if (failed && !failed.fatal) throw new Error(failed.message);
  return requeueOf(pool?.requeueAfterMs ?? house?.requeueAfterMs);
}

/** The desired state as applied now: a house's own Argo CD only once the house has answered (argocd-gate.ts). */
function appliedState(ctx: ReconcileContext, tenant: Tenant) {
  const name = houseArgoCdApplicationName(tenant);
  const applicationExists = !!ctx.cache.get('Application', name, ctx.platform.argocd.namespace);
  return gateHouseArgoCd(buildDesiredState(tenant, ctx.platform, ctx.concerns), tenant, ctx.platform, {
    applicationExists,
  });
}

/** A house comes up after its objects are in place: deployed by Argo CD, registered, answering. */
function houseAfterConcerns(ctx: ReconcileContext, tenant: Tenant, failed: Failure | undefined) {
  return !failed && isHouse(tenant) ? holdHouse(ctx, tenant) : Promise.resolve(undefined);
}

function houseOutcomes(house: HouseOutcome | undefined): ConditionUpdate[] {
  return house?.outcomes ?? [];
}

/** What a tenant whose objects are in place still waits for: nodes of its pool, or its house coming up. */
function waitingFor(pool: PoolOutcome | undefined, house: HouseOutcome | undefined): ConditionUpdate | undefined {
  return pool?.condition.status === 'False' ? pool.condition : house?.cause;
}

function requeueOf(requeueAfterMs: number | undefined): HandlerResult | undefined {
  return requeueAfterMs ? { requeueAfterMs } : undefined;
}

/**
 * Ready and the phase after holding the concerns: a failure as it is; a pool waiting for nodes (or a stuck drain)
 * leaves the tenant Provisioning, not Failed, and is no error; so does a house still coming up.
 */
function verdict(failed: Failure | undefined, waiting: ConditionUpdate | undefined) {
  const cause = failed ?? waiting;
  const ready: ConditionUpdate = cause
    ? { type: 'Ready', status: 'False', reason: cause.reason, message: cause.message }
    : { type: 'Ready', status: 'True', reason: 'Provisioned', message: 'every object of the tenant is in place' };
  const phase: NonNullable<TenantStatus['phase']> = failed?.fatal ? 'Failed' : cause ? 'Provisioning' : 'Ready';
  return { ready, phase };
}

/** Reasons a tenant cannot be provisioned at all, whatever the cluster holds. */
function whyNotProvisioned(ctx: ReconcileContext, tenant: Tenant): { reason: string; message: string } | undefined {
  const rival = ctx.tenants
    .byIndex(tenant.spec.teamName)
    .find((other) => other.metadata.name !== tenant.metadata.name && isOlder(other, tenant));
  if (rival) {
    return {
      reason: 'TeamNameTaken',
      message: `teamName ${tenant.spec.teamName} belongs to Tenant ${rival.metadata.name}`,
    };
  }
  // Names are a tree: no name of the platform's, none in an older tenant's space (ADR 20).
  const names = nameVerdict(ctx.tenants, tenant, ctx.platform);
  if (names) return names;
  // A house the platform cannot build (houses off, a version not served, a quota short of its control plane).
  const house = houseRefusal(tenant, ctx.platform);
  if (house) return house;
  // Before anything is applied: the AppProject's sourceRepos never holds another team's repository or a pattern.
  const repoProblem = teamRepoProblem(tenant, ctx.platform);
  if (repoProblem) return { reason: 'RepositoryNotTheTeams', message: repoProblem };
  return undefined;
}

function isOlder(a: Tenant, b: Tenant): boolean {
  const [ta, tb] = [a.metadata.creationTimestamp ?? '', b.metadata.creationTimestamp ?? ''];
  return ta < tb || (ta === tb && a.metadata.name < b.metadata.name);
}

/** Writes the status (only if it changed), records events on transitions and updates the metrics. */
async function settle(
  ctx: ReconcileContext,
  tenant: Tenant,
  result: {
    outcomes: ConditionUpdate[];
    held: HeldObject[];
    accepted: TenantSpec | undefined;
    nodePool: TenantStatus['nodePool'];
    house?: Pick<HouseOutcome, 'status' | 'dropped'>;
  },
  ready: ConditionUpdate,
  phase: NonNullable<TenantStatus['phase']>,
): Promise<void> {
  const status = {
    ...buildStatus(ctx, tenant, [...result.outcomes, ready], phase, result.house?.dropped ?? []),
    heldObjects: sortHeld(result.held),
    ...(result.accepted ? { acceptedSpec: result.accepted } : {}),
    ...(result.nodePool ? { nodePool: result.nodePool } : {}),
    ...(result.house?.status ?? {}),
  };
  await writeStatus(ctx.http, tenant, status, ctx.countWrite);
  recordQuotaMetrics(ctx.metrics, ctx.cache, tenant.metadata.name);
  if (tenant.status?.phase !== phase) await recordTransition(ctx, tenant, status, ready);
}

function buildStatus(
  ctx: ReconcileContext,
  tenant: Tenant,
  updates: ConditionUpdate[],
  phase: NonNullable<TenantStatus['phase']>,
  dropped: string[],
): TenantStatus {
  const generation = tenant.metadata.generation ?? 0;
  const now = new Date();
  let conditions: TenantCondition[] = (tenant.status?.conditions ?? []).filter(({ type }) => !dropped.includes(type));
  for (const update of updates) conditions = setCondition(conditions, update, generation, now.toISOString());
  const created = Date.parse(tenant.metadata.creationTimestamp ?? now.toISOString());
  const firstReady = phase === 'Ready' && tenant.status?.provisioningSeconds === undefined;
  const provisioningSeconds = firstReady ? (now.getTime() - created) / 1000 : tenant.status?.provisioningSeconds;
  return {
    phase,
    observedGeneration: generation,
    namespaces: isHouse(tenant) ? [houseNamespaceName(tenant)] : tenantNamespaces(tenant),
    argocdURL: tenantArgoCdURL(ctx, tenant),
    gitRepoURL: teamSource(tenant, ctx.platform).repoURL,
    conditions,
    ...(provisioningSeconds === undefined ? {} : { provisioningSeconds }),
  };
}

/** A house with its own Argo CD: that one's URL; otherwise the team's project in the host Argo CD. */
function tenantArgoCdURL(ctx: ReconcileContext, tenant: Tenant): string {
  return hasHouseArgoCd(tenant)
    ? houseArgoCdURL(tenant, ctx.platform)
    : `${ctx.platform.argocd.url}/applications?proj=${tenant.spec.teamName}`;
}

async function recordTransition(ctx: ReconcileContext, tenant: Tenant, status: TenantStatus, ready: ConditionUpdate) {
  if (status.phase === 'Ready') {
    if (tenant.status?.provisioningSeconds === undefined)
      ctx.metrics.provisioningDuration.observe(status.provisioningSeconds ?? 0);
    await ctx.events.record(tenant, 'Normal', 'Provisioned', `namespaces ${status.namespaces?.join(', ')} are ready`);
  } else if (status.phase === 'Failed') {
    ctx.metrics.provisioningFailures.inc({ tenant: tenant.metadata.name, reason: ready.reason });
    await ctx.events.record(tenant, 'Warning', ready.reason, ready.message);
  }
}

/** The union of two records, by UID. */
function mergeHeld(previous: HeldObject[], current: HeldObject[]): HeldObject[] {
  const uids = new Set(current.map((held) => held.uid));
  return [...current, ...previous.filter((held) => !uids.has(held.uid))];
}
