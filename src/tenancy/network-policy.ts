import type { Tenant } from '../api/tenant.ts';
import type { Manifest } from './manifest.ts';
import { tenantLabels } from './ownership.ts';

/** One NetworkPolicy of a tenant: in the namespace given, with the tenant's labels. */
export function tenantNetworkPolicy(
  tenant: Tenant,
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
): Manifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace, labels: tenantLabels(tenant) },
    spec,
  };
}
