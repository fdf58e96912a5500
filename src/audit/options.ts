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
}

/** Audit settings from the platform configuration. */
export function auditOptionsFrom(platform: PlatformConfig, platformProjects = ['landlord-platform']): AuditOptions {
  return {
    argocdNamespace: platform.argocd.namespace,
    destinationServer: platform.argocd.destinationServer,
    destinationName: 'in-cluster',
    platformProjects,
    platformNamespaces: [
      'kube-system',
      'kube-public',
      'kube-node-lease',
      'default',
      'landlord-system',
      platform.argocd.namespace,
      platform.ingressNamespace,
      platform.dns.namespace,
    ],
  };
}

/** A namespace name no one has created yet: a project that permits it permits every future namespace. */
export const futureNamespaceProbe = 'landlord-audit-any-new-namespace';
