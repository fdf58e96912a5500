import type { NodePoolConcern } from './concern.ts';
import { poolRequest } from './node-pool.ts';

/**
 * The tenant's dedicated nodes, last in apply order: a shortage of nodes holds nothing else back, and teardown
 * drains and gives back the nodes before the namespaces go. Claiming, draining and releasing need nodes (read,
 * patch), the pods on a node (list) and evictions (create, so PodDisruptionBudgets are respected).
 */
export const nodePoolConcern: NodePoolConcern = {
  name: 'NodePool',
  condition: 'NodePoolReady',
  holding: 'node-pool',
  request: (tenant) => poolRequest(tenant),
  extraRights: [
    { apiGroup: '', resource: 'nodes', verbs: ['get', 'list', 'watch', 'patch'], scope: 'cluster' },
    { apiGroup: '', resource: 'pods', verbs: ['list'], scope: 'cluster' },
    { apiGroup: '', resource: 'pods/eviction', verbs: ['create'], scope: 'cluster' },
  ],
};
