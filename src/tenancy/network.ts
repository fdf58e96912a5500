import type { Tenant } from '../api/tenant.ts';
import type { Manifest } from './manifest.ts';
import { tenantNamespaces } from './names.ts';
import { tenantNetworkPolicy } from './network-policy.ts';
import type { PlatformConfig } from '../api/platform-config.ts';
import type { KubernetesConcern } from './concern.ts';
import { isHouse } from './house/is-house.ts';
import { buildHouseNetworkPolicies } from './house/network.ts';
import { houseFile } from './house/layout.ts';
import { dnsEgressRule, inNamespace, namespaceNameLabel } from './dns-egress.ts';

/**
 * NetworkPolicies per namespace: deny all ingress and egress, then allow DNS, traffic between the tenant's own
 * namespaces, and ingress from the platform's ingress controller.
 */
export function buildNetworkPolicies(tenant: Tenant, platform: PlatformConfig): Manifest[] {
  const namespaces = tenantNamespaces(tenant);
  const ownNamespaces = {
    namespaceSelector: { matchExpressions: [{ key: namespaceNameLabel, operator: 'In', values: namespaces }] },
  };
  return namespaces.flatMap((namespace) => {
    const policy = (name: string, spec: Record<string, unknown>) => tenantNetworkPolicy(tenant, namespace, name, spec);
    return [
      policy('default-deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
      policy('allow-dns', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [dnsEgressRule(platform)],
      }),
      policy('allow-same-tenant', {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [ownNamespaces] }],
        egress: [{ to: [ownNamespaces] }],
      }),
      policy('allow-from-ingress', {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{ from: [inNamespace(platform.ingressNamespace)] }],
      }),
    ];
  });
}

/** Network isolation: the tenant's namespaces reach each other, DNS and the ingress controller, nothing else. */
export const networkConcern: KubernetesConcern = {
  name: 'NetworkPolicies',
  condition: 'NetworkPoliciesReady',
  holding: 'owned',
  kinds: [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      plural: 'networkpolicies',
      namespaced: true,
      watch: 'cluster',
      exact: ['spec'],
    },
  ],
  build: (tenant, platform) =>
    isHouse(tenant) ? buildHouseNetworkPolicies(tenant, platform) : buildNetworkPolicies(tenant, platform),
  file: (object, tenant) => (isHouse(tenant) ? houseFile(object) : `network-policy-${object.metadata.name}.yaml`),
};
