import type { Node } from 'kubernetes-types/core/v1.js';
import type { NodeHolder, PoolRequest } from '../../tenancy/node-pool.ts';

/**
 * Where a tenant's dedicated nodes come from: the one seam between the pool's reconcile (which nodes a tenant
 * holds, what to drain) and the machines. The spare-pool provider hands out idle labelled nodes; a Cluster API
 * provider would scale a MachineDeployment per tenant, a cloud one a node group, without the reconcile changing.
 */
export interface NodePoolProvider {
  /** Free nodes of each instance type now (what a claim could get). */
  freeByType(): Map<string, number>;
  /** Claims up to `count` nodes of the request's type for its tenant (`uid`: the Tenant's); the names claimed. */
  claim(request: PoolRequest, uid: string, count: number): Promise<string[]>;
  /** Gives a drained node back (no pods of the tenant left on it); false when it is no longer the holder's. */
  release(node: Node, holder: NodeHolder): Promise<boolean>;
}
