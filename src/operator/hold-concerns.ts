import type { Tenant } from '../api/tenant.ts';
import type { Concern, ExternalConcern } from '../tenancy/concern.ts';
import type { DesiredState } from '../tenancy/desired-state.ts';
import { NotOursError } from './applier.ts';
import type { ConditionUpdate } from './conditions.ts';
import type { ReconcileContext } from './context.ts';
import { integrationFor } from './external-integration.ts';

/** Why a concern could not be held. */
export interface Failure {
  reason: string;
  message: string;
  /** A failure no retry can fix (an object that is not ours): the tenant is Failed until a person acts. */
  fatal: boolean;
}

/**
 * Holds concern after concern, in order, each as it says (owned, claimed, external), and reports one condition
 * per concern. The first failure stops the rest: they depend on what came before.
 */
export async function holdConcerns(ctx: ReconcileContext, tenant: Tenant, state: DesiredState) {
  const force = tenant.status?.observedGeneration !== tenant.metadata.generation;
  const outcomes: ConditionUpdate[] = [];
  let failed: Failure | undefined;
  for (const concern of ctx.concerns) {
    const type = concern.condition;
    if (failed) {
      outcomes.push({ type, status: 'Unknown', reason: 'Waiting', message: `waiting for ${failed.reason}` });
      continue;
    }
    try {
      outcomes.push({ type, status: 'True', ...(await holdConcern(ctx, tenant, concern, state, force)) });
    } catch (error) {
      const fatal = error instanceof NotOursError;
      failed = { reason: fatal ? 'NotOurs' : `${concern.name}Failed`, message: (error as Error).message, fatal };
      outcomes.push({ type, status: 'False', reason: failed.reason, message: failed.message });
    }
  }
  return { outcomes, failed };
}

async function holdConcern(
  ctx: ReconcileContext,
  tenant: Tenant,
  concern: Concern,
  state: DesiredState,
  force: boolean,
): Promise<{ reason: string; message: string }> {
  if (concern.holding === 'external') return keepExternal(ctx, tenant, concern);
  const objects = state.find((part) => part.concern === concern)?.objects ?? [];
  for (const object of objects) await ctx.applier.ensure(object, tenant, force, concern.holding);
  const [reason, verb] = concern.holding === 'owned' ? ['Applied', 'in place'] : ['Claimed', 'claimed'];
  return { reason, message: `${objects.length} object(s) ${verb}` };
}

async function keepExternal(ctx: ReconcileContext, tenant: Tenant, concern: ExternalConcern) {
  const things = concern.describe(tenant, ctx.platform);
  for (const thing of things) await integrationFor(ctx.integrations, thing).ensure(thing, tenant);
  return { reason: 'Kept', message: `${things.map((thing) => thing.name).join(', ') || 'nothing'} kept` };
}
