import type { Tenant } from '../api/tenant.ts';
import type { QuotaUsage } from './tenant-view.ts';

/** What the portal shows of a tenant: its request and its live status, nothing cluster-internal. */
export function tenantSummary(tenant: Tenant, quota: QuotaUsage[] = []) {
  const { metadata, spec } = tenant;
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
    status: statusSummary(tenant, quota),
  };
}

/** What the list shows of a tenant: who, what, and its phase at a glance (details are one GET away). */
export function tenantListItem(tenant: Tenant) {
  const { metadata, spec } = tenant;
  return {
    name: metadata.name,
    teamName: spec.teamName,
    ownerEmail: spec.ownerEmail,
    costCenter: spec.costCenter,
    adGroup: spec.adGroup,
    isolation: spec.isolation,
    createdAt: metadata.creationTimestamp,
    terminating: Boolean(metadata.deletionTimestamp),
    phase: metadata.deletionTimestamp ? 'Terminating' : (tenant.status?.phase ?? 'Pending'),
    message: readyMessage(tenant),
  };
}

/** The live part: phase, why, namespaces, quota used against hard, URLs. */
function statusSummary(tenant: Tenant, quota: QuotaUsage[]) {
  const { metadata, status } = tenant;
  return {
    phase: metadata.deletionTimestamp ? 'Terminating' : (status?.phase ?? 'Pending'),
    message: readyMessage(tenant),
    conditions: status?.conditions ?? [],
    namespaces: status?.namespaces ?? [],
    quota,
    urls: {
      argocd: status?.argocdURL,
      git: status?.gitRepoURL,
      grafana: status?.grafanaURL,
      vcluster: status?.vclusterURL,
    },
  };
}

/** The Ready condition's message: what a person needs to know about the phase. */
function readyMessage(tenant: Tenant): string | undefined {
  return tenant.status?.conditions?.find((condition) => condition.type === 'Ready')?.message;
}

/** What the API and the live feed send for a tenant. */
export type TenantSummary = ReturnType<typeof tenantSummary>;
