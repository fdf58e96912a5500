import type { Tenant } from '../api/tenant.ts';
import type { Concern, ExternalConcern, NodePoolConcern } from '../tenancy/concern.ts';
import type { DesiredState } from '../tenancy/desired-state.ts';
import { KubeApiError } from '../kube/api-error.ts';
import { NotOursError } from './applier.ts';
import type { ConditionUpdate } from './conditions.ts';
import type { ReconcileContext } from './context.ts';
import { IntegrationRefusal, integrationFor } from './external-integration.ts';
import { type HeldObject, heldObjectOf } from './held-record.ts';
import { holdPool } from './node-pool/hold-pool-concern.ts';
import type { PoolOutcome } from './node-pool/hold-node-pool.ts';

/** Why a concern could not be held. */
export interface Failure {
  reason: string;
  message: string;
  /** A failure no retry can fix (an object not ours, one refused as Invalid): Failed until a person acts. */
  fatal: boolean;
}

/** One pass over a tenant's concerns: what it works from, and the record of owned objects it fills. */
interface Pass {
  ctx: ReconcileContext;
  tenant: Tenant;
  state: DesiredState;
  /** Apply even what looks up to date: the spec changed since it was last seen. */
  force: boolean;
  held: HeldObject[];
}

/**
 * Holds concern after concern, in order, each as it says (owned, claimed, external), and reports one condition
 * per concern, and the owned objects it now holds. The first failure stops the rest: they depend on what came
 * before.
 */
export async function holdConcerns(ctx: ReconcileContext, tenant: Tenant, state: DesiredState) {
  const force = tenant.status?.observedGeneration !== tenant.metadata.generation;
  const pass: Pass = { ctx, tenant, state, force, held: [] };
  const outcomes: ConditionUpdate[] = [];
  let failed: Failure | undefined;
  let pool: PoolOutcome | undefined;
  await releaseUndescribed(ctx, tenant);
  for (const concern of ctx.concerns) {
    const type = concern.condition;
    if (failed) {
      outcomes.push({ type, status: 'Unknown', reason: 'Waiting', message: `waiting for ${failed.reason}` });
      continue;
    }
    try {
      // A pool short of nodes is a state the tenant waits in (its condition False), not a failure.
      if (concern.holding === 'node-pool') outcomes.push((pool = await holdPool(ctx, tenant, concern)).condition);
      else outcomes.push({ type, status: 'True', ...(await holdConcern(pass, concern)) });
    } catch (error) {
      failed = failureOf(error, concern);
      outcomes.push({ type, status: 'False', reason: failed.reason, message: failed.message });
    }
  }
  return { outcomes, failed, held: pass.held, pool };
}

/**
 * What a concern's error means: an object not ours, or one the API server refuses as Invalid (422: a value it will
 * refuse on every retry, its message naming the field), is fatal until a person acts; anything else is retried.
 * The pool is left out: its writes are guarded by resourceVersions and read again, never refused for good.
 */
function failureOf(error: unknown, concern: Concern): Failure {
  const message = (error as Error).message;
  if (error instanceof NotOursError) return { reason: 'NotOurs', message, fatal: true };
  if (error instanceof IntegrationRefusal) return { reason: error.reason, message, fatal: error.fatal };
  if (error instanceof KubeApiError && error.status === 422 && concern.holding !== 'node-pool')
    return { reason: 'RefusedByAPIServer', message, fatal: true };
  return { reason: `${concern.name}Failed`, message, fatal: false };
}

async function holdConcern(
  pass: Pass,
  concern: Exclude<Concern, NodePoolConcern>,
): Promise<{ reason: string; message: string }> {
  if (concern.holding === 'external') return keepExternal(pass, concern);
  const objects = pass.state.find((part) => part.concern === concern)?.objects ?? [];
  for (const object of objects) {
    const live = await pass.ctx.applier.ensure(object, pass.tenant, pass.force);
    // Landlord's own record of what it created: claimed objects were there before and stay after.
    if (concern.holding === 'owned') pass.held.push(heldObjectOf(live));
  }
  const [reason, verb] = concern.holding === 'owned' ? ['Applied', 'in place'] : ['Claimed', 'claimed'];
  return { reason, message: `${objects.length} object(s) ${verb}` };
}

/**
 * Before anything is put in place: what external concerns may have made for the tenant but describe no more (a
 * team now naming its own repository) gives back what it lent the tenant's objects (the reader's token in the
 * repository Secret), so they never meet the new settings (another host's URL).
 */
export async function releaseUndescribed(ctx: ReconcileContext, tenant: Tenant): Promise<void> {
  for (const concern of ctx.concerns) {
    if (concern.holding !== 'external' || !concern.retirable) continue;
    const described = new Set(concern.describe(tenant, ctx.platform).map((thing) => thing.name));
    for (const thing of concern.retirable(tenant, ctx.platform)) {
      if (!described.has(thing.name)) await ctx.integrations.get(thing.integration)?.release?.(thing, tenant, ctx);
    }
  }
}

async function keepExternal({ ctx, tenant }: Pass, concern: ExternalConcern) {
  const things = concern.describe(tenant, ctx.platform);
  for (const thing of things) await integrationFor(ctx.integrations, thing).ensure(thing, tenant, ctx);
  if (things.length === 0) return { reason: 'NotNeeded', message: concern.idle };
  return { reason: 'Kept', message: `${things.map((thing) => thing.name).join(', ')} kept` };
}
