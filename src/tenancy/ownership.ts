import type { Tenant } from '../api/tenant.ts';

/** Label on every object Landlord makes for a tenant: the tenant's name. Selects, never proves, ownership. */
export const tenantLabel = 'landlord.dev/tenant';
/** Label with the team's name, for people and dashboards. */
export const teamLabel = 'landlord.dev/team';
/** Label with the cost centre, so usage can be charged back from labels alone. */
export const costCenterLabel = 'landlord.dev/cost-center';
/** The standard label naming the tool that manages an object. */
export const managedByLabel = 'app.kubernetes.io/managed-by';
export const managedByValue = 'landlord';

/** The labels every object of a tenant carries. */
export function tenantLabels(tenant: Tenant): Record<string, string> {
  return {
    [managedByLabel]: managedByValue,
    [tenantLabel]: tenant.metadata.name,
    [teamLabel]: tenant.spec.teamName,
  };
}
