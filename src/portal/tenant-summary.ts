import type { Tenant } from '../api/tenant.ts';

/** What the portal shows of a tenant: its request and its live status, nothing cluster-internal. */
export function tenantSummary(tenant: Tenant) {
  const { metadata, spec, status } = tenant;
  return {
    name: metadata.name,
    teamName: spec.teamName,
    ownerEmail: spec.ownerEmail,
    costCenter: spec.costCenter,
    adGroup: spec.adGroup,
    isolation: spec.isolation,
    resourceQuota: spec.resourceQuota,
    nodePool: spec.nodePool,
    services: spec.services,
    createdAt: metadata.creationTimestamp,
    terminating: Boolean(metadata.deletionTimestamp),
    status: {
      phase: status?.phase ?? 'Pending',
      conditions: status?.conditions ?? [],
      namespaces: status?.namespaces ?? [],
      urls: {
        argocd: status?.argocdURL,
        git: status?.gitRepoURL,
        grafana: status?.grafanaURL,
        vcluster: status?.vclusterURL,
      },
    },
  };
}
