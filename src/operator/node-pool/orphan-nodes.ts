import { tenantResource } from '../../api/crd.ts';
import type { Tenant } from '../../api/tenant.ts';
import { apiPath } from '../../kube/api-path.ts';
import type { HandlerResult } from '../../kube/workqueue.ts';
import type { ReconcileContext } from '../context.ts';
import { holdNodePool } from './hold-node-pool.ts';

/**
 * Nodes claimed (Landlord's whole mark) by a Tenant that no longer exists, left by a teardown cut short (a finalizer
 * removed by hand): drained and given back like any other, never left claimed by nobody. Only the UID written by the
 * claim counts: a node with an ownership label typed by hand naming a missing Tenant is left alone.
 */
export async function releaseOrphanedNodes(ctx: ReconcileContext, name: string): Promise<HandlerResult | void> {
  const pools = ctx.nodePools;
  if (!pools || pools.informer.byIndex(name).length === 0) return;
  // Nodes first, then the API server says which Tenant lives: a claim seen here was made by a Tenant created before.
  const holders = pools.claimHolders(name);
  if (holders.length === 0) return;
  const found = await ctx.http.send({ method: 'GET', path: apiPath(tenantResource, { name }) });
  if (found.status !== 404 && found.status !== 200) return;
  const liveUid = found.status === 200 ? (JSON.parse(found.body) as Tenant).metadata.uid : undefined;
  const orphans = holders.filter((holder) => holder.uid !== liveUid);
  if (orphans.length === 0) return;
  const tools = { pools, http: ctx.http, countWrite: ctx.countWrite };
  const remaining: string[] = [];
  let requeueAfterMs = 2000;
  for (const holder of orphans) {
    const outcome = await holdNodePool(tools, holder, undefined, 'NodePoolReady');
    remaining.push(...outcome.remaining);
    requeueAfterMs = Math.min(requeueAfterMs, outcome.requeueAfterMs ?? 2000);
  }
  if (remaining.length === 0) return;
  ctx.log(`[operator] nodes of the deleted tenant ${name}: giving back ${remaining.join(', ')}`);
  return { requeueAfterMs };
}
