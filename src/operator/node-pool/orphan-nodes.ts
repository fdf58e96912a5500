import { tenantResource } from '../../api/crd.ts';
import { apiPath } from '../../kube/api-path.ts';
import type { HandlerResult } from '../../kube/workqueue.ts';
import type { ReconcileContext } from '../context.ts';
import { holdNodePool } from './hold-node-pool.ts';

/**
 * Nodes owned (Landlord's label) by a Tenant that no longer exists, left by a teardown cut short (a finalizer
 * removed by hand): drained and given back like any other, never left claimed by nobody.
 */
export async function releaseOrphanedNodes(ctx: ReconcileContext, name: string): Promise<HandlerResult | void> {
  const pools = ctx.nodePools;
  if (!pools || pools.informer.byIndex(name).length === 0) return;
  // The cache may be a step behind: only a Tenant the API server does not have leaves orphans.
  const found = await ctx.http.send({ method: 'GET', path: apiPath(tenantResource, { name }) });
  if (found.status !== 404) return;
  const tools = { pools, http: ctx.http, countWrite: ctx.countWrite };
  const outcome = await holdNodePool(tools, name, undefined, 'NodePoolReady');
  if (outcome.remaining.length === 0) return;
  ctx.log(`[operator] nodes of the deleted tenant ${name}: giving back ${outcome.remaining.join(', ')}`);
  return { requeueAfterMs: outcome.requeueAfterMs ?? 2000 };
}
