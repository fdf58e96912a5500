// Types only: the web UI imports it too, so it must not import anything that needs Node.
import type { TenantSpec } from '../api/tenant.ts';

/** How many idle spare nodes of one instance type a new pool could claim now. */
export interface FreeNodes {
  instanceType: NonNullable<TenantSpec['nodePool']>['instanceType'];
  free: number;
}

/** GET /api/v1/node-pools: free spare nodes by instance type, every type listed; counts only, never a node's name. */
export interface NodePoolsAnswer {
  instanceTypes: FreeNodes[];
}
