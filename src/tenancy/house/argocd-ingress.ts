import type { PlatformConfig } from '../../api/platform-config.ts';
import type { Tenant } from '../../api/tenant.ts';
import type { Manifest } from '../manifest.ts';
import { houseArgoCdNamespace } from '../names.ts';
import { tenantLabels } from '../ownership.ts';
import { hasHouseArgoCd } from './tenant-argocd.ts';

/** The Service upstream's manifests give the API server and UI, and the port it serves plain HTTP on (server.insecure). */
export const houseArgoCdServer = { name: 'argocd-server', port: 80, podPort: 8080 };

/** The host people reach a house's Argo CD at through the platform's ingress: the one the host guardrail admits. */
export function houseArgoCdIngressHost(tenant: Tenant, platform: PlatformConfig): string {
  return `argocd-${tenant.spec.teamName}.${platform.domain}`;
}

/** Whether the house's Argo CD gets an Ingress: the platform has an ingress for it and the tenant has the Argo CD. */
export function hasHouseArgoCdIngress(tenant: Tenant, platform: PlatformConfig): boolean {
  return platform.houses.argocd.ingress.enabled && hasHouseArgoCd(tenant);
}

/**
 * The Ingress inside the house for its Argo CD, which vCluster syncs to the host's namespace (its backend renamed to
 * the synced Service): the one host, TLS ending at the controller with its default certificate (no secretName, so
 * no private key ever enters the house, where the team is cluster-admin), plain HTTP to argocd-server behind it.
 */
export function buildHouseArgoCdIngress(tenant: Tenant, platform: PlatformConfig): Manifest {
  const host = houseArgoCdIngressHost(tenant, platform);
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: houseArgoCdServer.name, namespace: houseArgoCdNamespace, labels: tenantLabels(tenant) },
    spec: {
      ingressClassName: platform.houses.argocd.ingress.className,
      tls: [{ hosts: [host] }],
      rules: [
        {
          host,
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: houseArgoCdServer.name, port: { number: houseArgoCdServer.port } } },
              },
            ],
          },
        },
      ],
    },
  };
}
