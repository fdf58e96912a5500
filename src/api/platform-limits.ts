import { parseQuantity } from '../tenancy/quantity.ts';

/** Bounds on what tenants ask for: quantities as Kubernetes writes them, dedicated nodes as a count. */
export interface TenantLimits {
  cpu: string;
  memory: string;
  storage: string;
  nodePoolNodes: number;
}

/**
 * Object counts per namespace for the kinds a team's `admin` role may create beside those the quota already
 * counts by their legacy names (pods, services, secrets, configmaps, persistentvolumeclaims), and the ones its
 * controllers create for it (replicasets, controllerrevisions, endpoints, events): every one bounded.
 */
export const defaultObjectCounts: Record<string, number> = {
  serviceaccounts: 50,
  replicationcontrollers: 20,
  podtemplates: 20,
  endpoints: 60,
  events: 2000,
  limitranges: 1,
  'events.events.k8s.io': 2000,
  'endpointslices.discovery.k8s.io': 100,
  'roles.rbac.authorization.k8s.io': 50,
  'rolebindings.rbac.authorization.k8s.io': 50,
  'deployments.apps': 50,
  'replicasets.apps': 500,
  'statefulsets.apps': 20,
  'daemonsets.apps': 10,
  'controllerrevisions.apps': 300,
  'jobs.batch': 100,
  'cronjobs.batch': 20,
  'ingresses.networking.k8s.io': 20,
  'networkpolicies.networking.k8s.io': 50,
  'horizontalpodautoscalers.autoscaling': 50,
  'poddisruptionbudgets.policy': 50,
  'leases.coordination.k8s.io': 50,
  'resourceclaims.resource.k8s.io': 20,
  'resourceclaimtemplates.resource.k8s.io': 20,
};

/** A key of objectCounts: a resource, then its API group when not the core one (roles.rbac.authorization.k8s.io). */
const objectCountKey = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** What of the platform configuration the limits concern. */
interface LimitsConfig {
  namespaceQuota: { objectCounts: Record<string, unknown> };
  tenantCeilings: TenantLimits;
  groupBudget: TenantLimits;
  reviewThreshold: TenantLimits;
}

/** Raised with the field, the value given and what is allowed; platform-config.ts raises its own error type. */
export type LimitsProblem = (message: string) => Error;

/**
 * Checks the ceilings, the group budget, the review threshold and the object counts: quantities Kubernetes
 * reads, whole numbers of nodes and objects, and a budget no smaller than one tenant's ceiling.
 */
export function checkTenantLimits(config: LimitsConfig, problem: LimitsProblem): void {
  for (const field of ['tenantCeilings', 'groupBudget', 'reviewThreshold'] as const) {
    checkLimits(config[field], field, problem);
  }
  for (const resource of ['cpu', 'memory', 'storage'] as const) {
    if (parseQuantity(config.groupBudget[resource]) < parseQuantity(config.tenantCeilings[resource])) {
      throw problem(
        `groupBudget.${resource}: ${config.groupBudget[resource]} is below tenantCeilings.${resource} (${config.tenantCeilings[resource]}); a group's budget must hold at least one tenant at the ceiling`,
      );
    }
  }
  checkObjectCounts(config.namespaceQuota.objectCounts, problem);
}

function checkLimits(limits: TenantLimits, field: string, problem: LimitsProblem): void {
  for (const resource of ['cpu', 'memory', 'storage'] as const) {
    if (!isQuantity(limits[resource])) {
      throw problem(
        `${field}.${resource}: ${JSON.stringify(limits[resource])} is not a Kubernetes quantity; use a number with an optional suffix such as 64, 500m or 256Gi`,
      );
    }
  }
  if (!Number.isInteger(limits.nodePoolNodes) || limits.nodePoolNodes < 0) {
    throw problem(`${field}.nodePoolNodes: ${limits.nodePoolNodes} must be a whole number >= 0`);
  }
}

function checkObjectCounts(counts: Record<string, unknown>, problem: LimitsProblem): void {
  for (const [key, count] of Object.entries(counts)) {
    if (!objectCountKey.test(key)) {
      throw problem(
        `namespaceQuota.objectCounts.${key}: not a resource name; use <resource> for core kinds or <resource>.<group>, such as roles.rbac.authorization.k8s.io`,
      );
    }
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
      throw problem(`namespaceQuota.objectCounts.${key}: ${JSON.stringify(count)} must be a whole number >= 0`);
    }
  }
}

function isQuantity(value: string): boolean {
  try {
    parseQuantity(value);
    return true;
  } catch {
    return false;
  }
}
