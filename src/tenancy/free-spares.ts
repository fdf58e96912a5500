import type { Node } from 'kubernetes-types/core/v1.js';
import type { NodePoolSettings } from '../api/node-pool-settings.ts';
import { type InstanceType, instanceTypes, isFreeSpare } from './node-pool.ts';

/** How many idle spare nodes of one instance type a pool could claim now. */
export interface FreeSpareCount {
  instanceType: InstanceType;
  free: number;
}

/**
 * Free spare nodes by instance type, every type listed (0 when none is free): counts only, so whoever reads them
 * learns nothing of which nodes other tenants hold.
 */
export function freeSpareCounts(nodes: readonly Node[], settings: NodePoolSettings): FreeSpareCount[] {
  return instanceTypes.map((instanceType) => ({
    instanceType,
    free: nodes.filter((node) => isFreeSpare(node, instanceType, settings)).length,
  }));
}
