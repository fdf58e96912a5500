import type { Tenant } from '../api/tenant.ts';
import type { Manifest } from './manifest.ts';
import { tenantNamespaces } from './names.ts';
import { tenantLabels } from './ownership.ts';
import type { PlatformConfig } from '../api/platform-config.ts';
import { multiplyQuantity } from './quantity.ts';
import { namespaceShare } from './namespace-share.ts';

/** A ResourceQuota per namespace: compute and storage from the spec, object counts from the platform. */
export function buildResourceQuotas(tenant: Tenant, platform: PlatformConfig): Manifest[] {
  const share = namespaceShare(tenant);
  const ratio = platform.limitToRequestRatio;
  const counts = platform.namespaceQuota;
  const hard: Record<string, string> = {
    'requests.cpu': share.cpu,
    'limits.cpu': multiplyQuantity(share.cpu, ratio),
    'requests.memory': share.memory,
    'limits.memory': multiplyQuantity(share.memory, ratio),
    'requests.storage': share.storage,
    'requests.ephemeral-storage': counts.ephemeralStorage,
    'limits.ephemeral-storage': multiplyQuantity(counts.ephemeralStorage, ratio),
    pods: String(counts.pods),
    services: String(counts.services),
    'services.nodeports': String(counts.nodePortServices),
    'services.loadbalancers': String(counts.loadBalancerServices),
    secrets: String(counts.secrets),
    configmaps: String(counts.configMaps),
    persistentvolumeclaims: String(counts.persistentVolumeClaims),
    // One quota per namespace: this one.
    resourcequotas: '1',
    ...objectCountQuota(counts.objectCounts),
  };
  return tenantNamespaces(tenant).map((namespace) => ({
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: `${tenant.spec.teamName}-quota`, namespace, labels: tenantLabels(tenant) },
    spec: { hard },
  }));
}

/** `count/<resource>.<group>` for every kind the platform bounds by number beyond the legacy names above. */
function objectCountQuota(counts: Record<string, number>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(counts).map(([resource, count]) => [`count/${resource}`, canonicalCount(count)]),
  );
}

/** A count as the API server stores a quantity (2000 as 2k): anything else reads as drift on every pass. */
export function canonicalCount(count: number): string {
  const suffixes = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
  let [value, index] = [count, 0];
  while (value !== 0 && value % 1000 === 0 && index < suffixes.length - 1) [value, index] = [value / 1000, index + 1];
  return `${value}${suffixes[index]}`;
}
