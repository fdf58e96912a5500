import type { Tenant } from '../../api/tenant.ts';
import type { PoolRequest } from '../../tenancy/node-pool.ts';
import type { NodePoolConcern } from '../../tenancy/concern.ts';
import type { ReconcileContext } from '../context.ts';
import { holdNodePool, type PoolOutcome } from './hold-node-pool.ts';

/** Holds a tenant's pool as its concern asks, or gives every node back (`giveBack`: the tenant is going). */
export async function holdPool(
  ctx: ReconcileContext,
  tenant: Tenant,
  concern: NodePoolConcern,
  giveBack = false,
): Promise<PoolOutcome> {
  if (!ctx.nodePools) throw new Error(`${concern.name}: the operator watches no nodes (no node pool concern given)`);
  const tools = { pools: ctx.nodePools, http: ctx.http, countWrite: ctx.countWrite };
  const request: PoolRequest | undefined = giveBack ? undefined : concern.request(tenant, ctx.platform);
  const holder = { tenant: tenant.metadata.name, uid: tenant.metadata.uid ?? '' };
  return holdNodePool(tools, holder, request, concern.condition);
}
