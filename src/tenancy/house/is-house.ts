import type { Tenant } from '../../api/tenant.ts';

/** Whether the tenant is a house (its own virtual cluster) rather than namespaces on the host. */
export function isHouse(tenant: Tenant): boolean {
  return tenant.spec.isolation === 'vcluster';
}
