import type { HouseSettings } from '../api/house-settings.ts';
import type { Tenant } from '../api/tenant.ts';
import { PortalError } from './errors.ts';
import type { HousesAnswer } from './houses-answer.ts';

/** The houses the platform offers, from its configuration (platform.houses). */
export function houseOffer(houses: HouseSettings): HousesAnswer {
  const minorOf = (version: string) => Number(version.split('.')[1]);
  const kubernetesVersions = Object.entries(houses.kubernetesVersions)
    .map(([minor, release]) => ({ minor, release }))
    .sort((a, b) => minorOf(a.minor) - minorOf(b.minor));
  return { enabled: houses.enabled, kubernetesVersions, defaultKubernetesVersion: houses.defaultKubernetesVersion };
}

/**
 * Refuses (422, naming the field) a house the platform does not offer: houses switched off, or a Kubernetes
 * version it does not serve. The operator would leave such a tenant Failed; the form is told before.
 */
export function refuseHouseNotOffered(tenant: Tenant, houses: HouseSettings): void {
  const { isolation, kubernetesVersion } = tenant.spec;
  if (isolation !== 'vcluster') return;
  if (!houses.enabled) {
    const message = 'spec.isolation: "vcluster" is not offered on this platform; use "namespace"';
    throw new PortalError(422, 'houses-disabled', message, [{ path: 'spec.isolation', message }]);
  }
  if (kubernetesVersion !== undefined && !(kubernetesVersion in houses.kubernetesVersions)) {
    const served = houseOffer(houses).kubernetesVersions.map((version) => version.minor);
    const message = `spec.kubernetesVersion: "${kubernetesVersion}" is not served; use one of ${served.join(', ')}`;
    throw new PortalError(422, 'version-not-served', message, [{ path: 'spec.kubernetesVersion', message }]);
  }
}
