import type { Tenant } from '../../api/tenant.ts';
import type { Informer } from '../../kube/informer.ts';
import type { Node } from 'kubernetes-types/core/v1.js';
import type { NodePoolSettings } from '../../api/node-pool-settings.ts';
import { acceptedSpecOf } from '../../tenancy/ceilings.ts';
import { type PoolRequest, readPoolNode } from '../../tenancy/node-pool.ts';
import { conditionOf } from '../tenant-status.ts';

/**
 * How many nodes a tenant may claim now: first come, first served. Free nodes of the type go to the older tenants
 * still short of them first, so two tenants asking together for more than exists never each end up with part
 * (both waiting forever): the older one gets its pool, the younger what is left, and waits for the rest.
 */
export function claimableNow(
  request: PoolRequest,
  wanted: number,
  free: number,
  view: { tenants: Informer<Tenant>; nodes: Informer<Node>; settings: NodePoolSettings },
): number {
  const self = view.tenants.get(request.tenant);
  if (!self) return Math.min(wanted, free);
  let owedToOlder = 0;
  for (const other of view.tenants.list()) {
    const pool = poolInLine(other);
    if (!pool || pool.instanceType !== request.instanceType || !isOlder(other, self)) continue;
    const holds = view.nodes
      .byIndex(other.metadata.name)
      .map((node) => readPoolNode(node, view.settings))
      .filter((node) => node.instanceType === pool.instanceType && !node.drainingSince).length;
    owedToOlder += Math.max(0, pool.size - holds);
  }
  return Math.max(0, Math.min(wanted, free - owedToOlder));
}

/**
 * The pool a tenant holds a place in the line with: the one the operator provisions (its accepted spec: a larger
 * size held back by the limits is never owed), and only while its reconciles reach the pool or have not run yet.
 * Failed, departing, and stuck before the pool (NodePoolReady Unknown: an earlier concern fails, so it claims
 * nothing) tenants hold no place.
 */
function poolInLine(tenant: Tenant) {
  if (tenant.status?.phase === 'Failed' || tenant.metadata.deletionTimestamp) return undefined;
  if (conditionOf(tenant.status, 'NodePoolReady')?.status === 'Unknown') return undefined;
  // Not accepted yet: its first reconcile is under way (a spec beyond the limits turns it Failed there).
  return (acceptedSpecOf(tenant) ?? tenant.spec).nodePool;
}

/** Created earlier, or at the same second with the smaller name. */
function isOlder(a: Tenant, b: Tenant): boolean {
  const [ta, tb] = [a.metadata.creationTimestamp ?? '', b.metadata.creationTimestamp ?? ''];
  return ta < tb || (ta === tb && a.metadata.name < b.metadata.name);
}
