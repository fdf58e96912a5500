import type { PlatformConfig } from '../api/platform-config.ts';

/** What the audit must know of the platform to judge the tenants. */
export interface AuditOptions {
  argocdNamespace: string;
  /** The API server address Argo CD destinations name for this cluster. */
  destinationServer: string;
  /** The cluster's name in Argo CD (destinations may name it instead of the server). */
  destinationName: string;
  /** AppProjects of the platform team itself, judged by the platform rules only. */
  platformProjects: string[];
  /** Namespaces no tenant may reach, beyond every namespace that is not a tenant's. */
  platformNamespaces: string[];
  /** The platform's own namespaces that must deny ingress by default (Argo CD's always among them). */
  defaultDenyNamespaces: string[];
  /** Where the ingress controller runs: tenants are reached from it, and may reach it on 80 and 443. */
  ingressNamespace: string;
  /** Where cluster DNS runs: tenants may reach it on port 53 only. */
  dnsNamespace: string;
  /** Where team repositories live: `<gitBaseURL>/<team>-gitops.git` is the team's. */
  gitBaseURL: string;
  /** The platform's per-team prefix (`{baseURL}/{team}/`): every repository under a team's is that team's. */
  teamRepoPrefix: string;
  /** The Pod Security level every tenant namespace must enforce. */
  podSecurityLevel: PlatformConfig['podSecurityLevel'];
  /** The label naming the Tenant a dedicated node belongs to (platform nodePools.ownerLabel). */
  nodeOwnerLabel: string;
  /** What a house (a tenant with its own vCluster) is judged by: its model, from platform.houses (ADR 29). */
  houses: HouseAuditSettings;
}

/** The platform's house settings the audit needs. */
export interface HouseAuditSettings {
  /** The only source a house's AppProject may have: the vCluster chart's repository (houses.chart.repoURL). */
  chartRepoURL: string;
  /** Upstream's Argo CD manifests (houses.argocd.manifests.repoURL): a house's project also installs the team's Argo CD. */
  argoCdManifestsRepoURL: string;
  /** A house's API server address, `{team}` and `{loopback}` still to fill (houses.apiServerURL, domain filled). */
  apiServerURL: string;
  /** Where the host API server answers (houses.hostAPIServerCIDRs); empty: a control plane may reach any address. */
  hostAPIServerCIDRs: string[];
  /** Where a house's Argo CD may connect on 443 (houses.argocd.egressCIDRs); empty: any address. */
  argoCdEgressCIDRs: string[];
}

/** Audit settings from the platform configuration. */
export function auditOptionsFrom(platform: PlatformConfig, platformProjects = ['landlord-platform']): AuditOptions {
  const defaultDenyNamespaces = [...new Set([platform.argocd.namespace, ...platform.platformNamespaces])];
  return {
    argocdNamespace: platform.argocd.namespace,
    destinationServer: platform.argocd.destinationServer,
    destinationName: 'in-cluster',
    platformProjects,
    platformNamespaces: [
      ...new Set([
        'kube-system',
        'kube-public',
        'kube-node-lease',
        'default',
        'landlord-system',
        ...defaultDenyNamespaces,
        platform.ingressNamespace,
        platform.dns.namespace,
      ]),
    ],
    defaultDenyNamespaces,
    ingressNamespace: platform.ingressNamespace,
    dnsNamespace: platform.dns.namespace,
    gitBaseURL: platform.git.baseURL.replace(/\/+$/, ''),
    teamRepoPrefix: platform.git.teamRepoPrefix,
    podSecurityLevel: platform.podSecurityLevel,
    nodeOwnerLabel: platform.nodePools.ownerLabel,
    houses: {
      chartRepoURL: platform.houses.chart.repoURL,
      argoCdManifestsRepoURL: platform.houses.argocd.manifests.repoURL,
      apiServerURL: platform.houses.apiServerURL.replaceAll('{domain}', platform.domain),
      hostAPIServerCIDRs: platform.houses.hostAPIServerCIDRs,
      argoCdEgressCIDRs: platform.houses.argocd.egressCIDRs,
    },
  };
}

/** A namespace name no one has created yet: a project that permits it permits every future namespace. */
export const futureNamespaceProbe = 'landlord-audit-any-new-namespace';
