import type { Tenant } from '../../api/tenant.ts';
import type { NodePoolConcern } from '../../tenancy/concern.ts';
import type { ReconcileContext } from '../context.ts';
import { holdPool } from './hold-pool-concern.ts';

/** Teardown of a pool: drains and gives back every node first (before the namespaces go); what it waits for. */
export async function giveBackPool(
  ctx: ReconcileContext,
  tenant: Tenant,
  concern: NodePoolConcern,
): Promise<string | undefined> {
  if (!ctx.nodePools) return undefined;
  const outcome = await holdPool(ctx, tenant, concern, true);
  if (outcome.remaining.length === 0) return undefined;
  const stuck = outcome.condition.status === 'False' ? `: ${outcome.condition.message}` : '';
  return `waiting for node(s) ${outcome.remaining.join(', ')} to be drained and released${stuck}`;
}
