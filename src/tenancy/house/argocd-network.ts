import type { PlatformConfig } from '../../api/platform-config.ts';
import { inNamespace } from '../dns-egress.ts';
import { houseArgoCdNamespace } from '../names.ts';
import { houseArgoCdServer } from './argocd-ingress.ts';

/**
 * The label vCluster's syncer sets on every pod it copies to the host: the pod's namespace inside the house. The team
 * cannot forge it (a label of that name set inside the house is renamed on the way out).
 */
export const syncedNamespaceLabel = 'vcluster.loft.sh/namespace';

/** The components of a house's Argo CD that leave the cluster: sign-in at the central Dex, Git for the rest. */
export const houseArgoCdEgressComponents = ['argocd-server', 'argocd-repo-server', 'argocd-applicationset-controller'];

/** The port the house's Argo CD reaches Dex and Git on (HTTPS). */
export const houseArgoCdEgressPort = 443;

/** Host pods synced from the house's `argocd` namespace with one of the names given (upstream's name label). */
export function houseArgoCdPods(names: string[]): Record<string, unknown> {
  return {
    matchLabels: { [syncedNamespaceLabel]: houseArgoCdNamespace },
    matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: names }],
  };
}

/**
 * The host NetworkPolicy specs the house's Argo CD needs beyond its namespace: egress on 443 to the platform's Dex
 * and Git servers (houses.argocd.egressCIDRs; empty: any address), and, with its Ingress, ingress from the ingress
 * controller to argocd-server's pod port. Keyed by policy name.
 */
export function houseArgoCdPolicySpecs(platform: PlatformConfig, withIngress: boolean) {
  const cidrs = platform.houses.argocd.egressCIDRs;
  const specs: Record<string, Record<string, unknown>> = {
    'allow-argocd-egress': {
      podSelector: houseArgoCdPods(houseArgoCdEgressComponents),
      policyTypes: ['Egress'],
      egress: [
        {
          ...(cidrs.length ? { to: cidrs.map((cidr) => ({ ipBlock: { cidr } })) } : {}),
          ports: [{ protocol: 'TCP', port: houseArgoCdEgressPort }],
        },
      ],
    },
  };
  if (withIngress)
    specs['allow-argocd-ingress'] = {
      podSelector: houseArgoCdPods([houseArgoCdServer.name]),
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [inNamespace(platform.ingressNamespace)],
          ports: [{ protocol: 'TCP', port: houseArgoCdServer.podPort }],
        },
      ],
    };
  return specs;
}
