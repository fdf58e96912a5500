import { sumQuotas } from '../tenancy/quota-usage.ts';
import type { ClusterCache } from './cluster-cache.ts';
import type { OperatorMetrics } from './metrics.ts';

/** The quota resources worth a time series per tenant: what dashboards chart and alerts watch. */
const chartedResources = new Set([
  'requests.cpu',
  'limits.cpu',
  'requests.memory',
  'limits.memory',
  'requests.storage',
]);

/** Sets a tenant's quota gauges from its cached ResourceQuotas (hard and used, summed over its namespaces). */
export function recordQuotaMetrics(metrics: OperatorMetrics, cache: ClusterCache, tenant: string): void {
  for (const { resource, type, value } of sumQuotas(cache.labelledFor('ResourceQuota', tenant))) {
    if (chartedResources.has(resource)) metrics.quota.set({ tenant, resource, type }, value);
  }
}
