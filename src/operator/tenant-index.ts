import type { Tenant } from '../api/tenant.ts';
import { teamIndexKeys } from './name-verdict.ts';
import { groupIndexKeys, heldBackIndexKeys } from './within-limits.ts';

/**
 * Every index key of a tenant in the operator's cache: its names (name-verdict.ts) and its directory groups, plus
 * whether it is held back by the limits (within-limits.ts). Rivals, group mates and held-back neighbours are then
 * looked up, never found by parsing every tenant.
 */
export function tenantIndexKeys(tenant: Tenant): string[] {
  return [...teamIndexKeys(tenant.spec.teamName), ...groupIndexKeys(tenant), ...heldBackIndexKeys(tenant)];
}
