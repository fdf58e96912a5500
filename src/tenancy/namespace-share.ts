import type { Tenant } from '../api/tenant.ts';
import { tenantNamespaces } from './names.ts';
import { divideQuantity } from './quantity.ts';

/** The part of the tenant's quota one namespace gets: the whole, shared out evenly between its namespaces. */
export function namespaceShare(tenant: Tenant) {
  const parts = tenantNamespaces(tenant).length;
  const { cpu, memory, storage } = tenant.spec.resourceQuota;
  return {
    cpu: divideQuantity(cpu, parts),
    memory: divideQuantity(memory, parts),
    storage: divideQuantity(storage, parts),
  };
}
