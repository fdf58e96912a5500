import type { PlatformConfig } from '../api/platform-config.ts';
import type { Tenant } from '../api/tenant.ts';

/**
 * A house's own loopback address, 127.64.0.0/10 by a hash of the team's name: on a local environment each house's
 * API server listens on its own address at 443, as it would behind its own ingress host. Two teams whose names hash
 * alike would share one; the local runner refuses the second house with that reason.
 */
export function houseLoopbackAddress(teamName: string): string {
  let hash = 2166136261;
  for (const char of teamName) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  const second = 64 + ((hash >>> 16) & 63);
  const third = (hash >>> 8) & 255;
  const fourth = 1 + ((hash & 255) % 254);
  return `127.${second}.${third}.${fourth}`;
}

/** The URL of a house's API server: in its exported kubeconfig, its certificate, its registration and its status. */
export function houseServerURL(tenant: Tenant, platform: PlatformConfig): string {
  const team = tenant.spec.teamName;
  return platform.houses.apiServerURL
    .replaceAll('{team}', team)
    .replaceAll('{domain}', platform.domain)
    .replaceAll('{loopback}', houseLoopbackAddress(team));
}

/** The minor version a house runs (the tenant's, or the platform's default) and its patch release, if served. */
export function houseKubernetesVersion(
  tenant: Tenant,
  platform: PlatformConfig,
): { minor: string; release: string | undefined } {
  const minor = (tenant.spec.kubernetesVersion ?? platform.houses.defaultKubernetesVersion).replace(/^v/, '');
  return { minor, release: platform.houses.kubernetesVersions[minor] };
}

/** The URL of a house's own Argo CD: status.argocdURL, its argocd-cm `url` and its OIDC client's redirect. */
export function houseArgoCdURL(tenant: Tenant, platform: PlatformConfig): string {
  const team = tenant.spec.teamName;
  return platform.houses.argocd.url
    .replaceAll('{team}', team)
    .replaceAll('{domain}', platform.domain)
    .replaceAll('{loopback}', houseLoopbackAddress(team));
}
