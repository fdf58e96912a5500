// Pure: the web UI imports its types (type-only), so what it shows is what the portal sends.
import type { Tenant } from '../api/tenant.ts';
import type { QuotaUsage } from './quota-usage.ts';

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
    phase: phaseOf(tenant),
    message: readyMessage(tenant),
  };
}

/** What the portal shows of a tenant: its request and its live status, nothing cluster-internal. */
export function tenantSummary(tenant: Tenant, quota: QuotaUsage[] = []) {
  const { phase: _phase, message: _message, ...request } = tenantListItem(tenant);
  const { spec } = tenant;
  return {
    ...request,
    resourceQuota: spec.resourceQuota,
    nodePool: spec.nodePool,
    services: spec.services,
    // A house's Kubernetes minor as requested (the platform's default when none is named).
    kubernetesVersion: spec.kubernetesVersion,
    status: statusSummary(tenant, quota),
  };
}

/** The live part: phase, why, namespaces, quota used against hard, the dedicated nodes it holds, URLs. */
function statusSummary(tenant: Tenant, quota: QuotaUsage[]) {
  const { status } = tenant;
  return {
    phase: phaseOf(tenant),
    message: readyMessage(tenant),
    conditions: status?.conditions ?? [],
    namespaces: status?.namespaces ?? [],
    quota,
    // The tenant's own nodes (names, types, states): seen only by those who may see the tenant.
    nodePool: status?.nodePool,
    // What a house's API server reports (its /version), such as v1.36.3.
    kubernetesVersion: status?.kubernetesVersion,
    urls: {
      argocd: status?.argocdURL,
      git: status?.gitRepoURL,
      grafana: status?.grafanaURL,
      vcluster: status?.vclusterURL,
    },
  };
}

/** Terminating from the moment it is being deleted, whatever the operator last wrote. */
const phaseOf = (tenant: Tenant) =>
  tenant.metadata.deletionTimestamp ? 'Terminating' : (tenant.status?.phase ?? 'Pending');

/** The Ready condition's message: what a person needs to know about the phase. */
function readyMessage(tenant: Tenant): string | undefined {
  return tenant.status?.conditions?.find((condition) => condition.type === 'Ready')?.message;
}

/** What the API and the live feed send for a tenant. */
export type TenantSummary = ReturnType<typeof tenantSummary>;
