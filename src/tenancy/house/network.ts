import type { PlatformConfig } from '../../api/platform-config.ts';
import type { Tenant } from '../../api/tenant.ts';
import type { Manifest } from '../manifest.ts';
import { houseNamespaceName } from '../names.ts';
import { tenantNetworkPolicy } from '../network-policy.ts';
import { dnsEgressRule, inNamespace } from '../dns-egress.ts';
import { hasHouseArgoCdIngress } from './argocd-ingress.ts';
import { houseArgoCdPolicySpecs } from './argocd-network.ts';
import { controlPlaneSelector, virtualApiServerPort } from './control-plane.ts';
import { hasHouseArgoCd } from './tenant-argocd.ts';

/** Namespaces are selected by the name the API server sets itself, which no tenant can forge with a label. */

/** The namespace the operator runs in: it asks each house's /version. */
export const operatorNamespace = 'landlord-system';

/** The host API server's ports: the syncer talks to it (443 through the Service, 6443 on the server itself). */
const hostApiServerPorts = [443, 6443];

/**
 * The house namespace's NetworkPolicies: deny all, then DNS, traffic within the namespace (the house's own pods,
 * synced, talk to each other and to the control plane), egress to the host API server from the control plane only
 * (the syncer needs it; the team's workloads do not), and ingress to the virtual API server's pod port, from the
 * ingress controller, the host Argo CD and the operator only. The control plane is told from workloads by nothing
 * the team controls (control-plane.ts). With the team's own Argo CD: its way out to Dex and Git on 443, and in from
 * the ingress controller when it has an Ingress (argocd-network.ts).
 */
export function buildHouseNetworkPolicies(tenant: Tenant, platform: PlatformConfig): Manifest[] {
  const namespace = houseNamespaceName(tenant);
  const policy = (name: string, spec: Record<string, unknown>) => tenantNetworkPolicy(tenant, namespace, name, spec);
  const sameNamespace = { podSelector: {} };
  const argocd = hasHouseArgoCd(tenant)
    ? Object.entries(houseArgoCdPolicySpecs(platform, hasHouseArgoCdIngress(tenant, platform)))
    : [];
  return [
    policy('default-deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy('allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [dnsEgressRule(platform)],
    }),
    policy('allow-same-namespace', {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [sameNamespace] }],
      egress: [{ to: [sameNamespace] }],
    }),
    policy('allow-control-plane-to-host-api', {
      podSelector: controlPlaneSelector(tenant),
      policyTypes: ['Egress'],
      egress: [
        {
          // Only the host API server's addresses when the platform names them (houses.hostAPIServerCIDRs).
          ...(platform.houses.hostAPIServerCIDRs.length
            ? { to: platform.houses.hostAPIServerCIDRs.map((cidr) => ({ ipBlock: { cidr } })) }
            : {}),
          ports: hostApiServerPorts.map((port) => ({ protocol: 'TCP', port })),
        },
      ],
    }),
    policy('allow-virtual-api-server', {
      podSelector: controlPlaneSelector(tenant),
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [platform.ingressNamespace, platform.argocd.namespace, operatorNamespace].map(inNamespace),
          ports: [{ protocol: 'TCP', port: virtualApiServerPort }],
        },
      ],
    }),
    ...argocd.map(([name, spec]) => policy(name, spec)),
  ];
}
