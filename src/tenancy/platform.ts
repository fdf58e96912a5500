/** Platform-wide settings: everything builders need that is not the tenant's to choose. */
export interface PlatformConfig {
  /** Base domain of tenant URLs (argocd-<team>.<domain>). */
  domain: string;
  argocd: {
    /** Namespace of the host Argo CD, where AppProjects, Applications and repository Secrets live. */
    namespace: string;
    /** API server address Argo CD deploys the tenants' apps to. */
    destinationServer: string;
    /** Base URL of the Argo CD UI, for links in status and the portal. */
    url: string;
  };
  /** Namespace of the ingress controller, the one source of traffic from outside a tenant. */
  ingressNamespace: string;
  /** Where cluster DNS runs, the one destination every tenant may always reach. */
  dns: { namespace: string; podLabels: Record<string, string> };
  /** Git hosting: the repository a tenant without spec.gitops gets. */
  git: { baseURL: string };
  /** Pod Security Standards level enforced, audited and warned in tenant namespaces. */
  podSecurityLevel: 'restricted' | 'baseline';
  /** Ceilings per namespace on object counts and ephemeral storage. */
  namespaceQuota: {
    pods: number;
    services: number;
    nodePortServices: number;
    loadBalancerServices: number;
    secrets: number;
    configMaps: number;
    persistentVolumeClaims: number;
    ephemeralStorage: string;
  };
  /** Defaults for containers that state no requests or limits, so they still fit under the quota. */
  containerDefaults: {
    request: { cpu: string; memory: string; ephemeralStorage: string };
    limit: { cpu: string; memory: string; ephemeralStorage: string };
  };
  /** Limits may reach this multiple of the requested quota (the article's 20 CPU requested, 40 limit). */
  limitToRequestRatio: number;
}

/** Sensible defaults for a local or first installation; a platform team overrides them in one file. */
export const defaultPlatformConfig: PlatformConfig = {
  domain: 'landlord.local',
  argocd: {
    namespace: 'argocd',
    destinationServer: 'https://kubernetes.default.svc',
    url: 'https://argocd.landlord.local',
  },
  ingressNamespace: 'ingress-nginx',
  dns: { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } },
  git: { baseURL: 'https://git.landlord.local' },
  podSecurityLevel: 'restricted',
  namespaceQuota: {
    pods: 100,
    services: 20,
    nodePortServices: 0,
    loadBalancerServices: 0,
    secrets: 100,
    configMaps: 100,
    persistentVolumeClaims: 10,
    ephemeralStorage: '50Gi',
  },
  containerDefaults: {
    request: { cpu: '100m', memory: '128Mi', ephemeralStorage: '256Mi' },
    limit: { cpu: '500m', memory: '512Mi', ephemeralStorage: '1Gi' },
  },
  limitToRequestRatio: 2,
};
