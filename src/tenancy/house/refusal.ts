import type { PlatformConfig } from '../../api/platform-config.ts';
import type { Tenant } from '../../api/tenant.ts';
import { houseKubernetesVersion } from '../house-address.ts';
import { isHouse } from './is-house.ts';
import { houseQuotaShortfall } from './quota.ts';

/**
 * Why a house cannot be built at all, before anything is deployed: houses off on this platform, a Kubernetes
 * version the platform does not serve (the CRD admits any well-formed minor), or a quota that cannot hold the
 * house's own control plane.
 */
export function houseRefusal(
  tenant: Tenant,
  platform: PlatformConfig,
): { reason: string; message: string } | undefined {
  if (!isHouse(tenant)) return undefined;
  if (!platform.houses.enabled)
    return {
      reason: 'IsolationNotAvailable',
      message: 'isolation: vcluster is not offered on this platform (houses.enabled is false)',
    };
  const { minor, release } = houseKubernetesVersion(tenant, platform);
  if (!release) {
    const served = Object.keys(platform.houses.kubernetesVersions).join(', ');
    return {
      reason: 'KubernetesVersionNotServed',
      message: `spec.kubernetesVersion: "${minor}" is not served by this platform; use one of ${served}`,
    };
  }
  const shortfall = houseQuotaShortfall(tenant, platform);
  if (shortfall) return { reason: 'QuotaTooSmallForHouse', message: `spec.resourceQuota: ${shortfall}` };
  return undefined;
}
