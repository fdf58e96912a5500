import { dedicatedNodesAnnotation } from '../tenancy/node-pool.ts';
import { tenantLabel } from '../tenancy/ownership.ts';
import { isPlatformDaemon } from '../tenancy/platform-daemons.ts';
import type { Finding } from './finding.ts';
import { type AuditedObject, type AuditedTenant, describeObject, type Inventory, ofKind } from './inventory.ts';
import type { AuditOptions } from './options.ts';

/** How many foreign pods a finding names; the rest are counted. */
const podsNamed = 5;

/**
 * Dedicated node pools: a tenant's dedicated node carrying pods of anyone else (the platform's DaemonSets in its
 * own namespaces aside), and a tenant namespace whose placement annotation is missing while its tenant has a pool,
 * or names another team (its pods would be placed on that team's nodes).
 */
export function checkNodes(inventory: Inventory, tenants: AuditedTenant[], options: AuditOptions): Finding[] {
  return [...foreignPods(inventory, options), ...placement(inventory, tenants)];
}

/** One finding per dedicated node carrying pods of namespaces that are not its tenant's. */
function foreignPods(inventory: Inventory, options: AuditOptions): Finding[] {
  const namespaces = new Map(ofKind(inventory, 'Namespace').map((namespace) => [namespace.metadata.name, namespace]));
  const podsByNode = new Map<string, AuditedObject[]>();
  for (const pod of ofKind(inventory, 'Pod')) {
    const node = nodeNameOf(pod);
    if (node) podsByNode.set(node, [...(podsByNode.get(node) ?? []), pod]);
  }
  const findings: Finding[] = [];
  for (const node of ofKind(inventory, 'Node')) {
    const owner = node.metadata.labels?.[options.nodeOwnerLabel];
    if (!owner) continue;
    const tenantOf = (pod: AuditedObject) =>
      namespaces.get(pod.metadata.namespace ?? '')?.metadata.labels?.[tenantLabel];
    const foreign = (podsByNode.get(node.metadata.name) ?? []).filter(
      (pod) => tenantOf(pod) !== owner && !isPlatformDaemon(pod, options.platformNamespaces),
    );
    if (foreign.length === 0) continue;
    const named = foreign.slice(0, podsNamed).map((pod) => {
      const tenant = tenantOf(pod);
      return `${pod.metadata.namespace}/${pod.metadata.name} (${tenant ? `tenant ${tenant}` : 'no tenant'})`;
    });
    const more = foreign.length > podsNamed ? ` and ${foreign.length - podsNamed} more` : '';
    findings.push({
      severity: 'high',
      rule: 'node-foreign-pods',
      object: describeObject(node),
      tenant: owner,
      message: `dedicated to tenant ${owner}, yet runs ${foreign.length} pod(s) of others: ${named.join(', ')}${more}; they share its kernel and resources with ${owner}'s workloads`,
      fix: `delete those pods and find how they got there (spec.nodeName set by hand, a toleration of the pool's taint, a nodeSelector or affinity on its labels), which Landlord's admission policies must refuse`,
    });
  }
  return findings;
}

/** Where a pod runs: spec.nodeName, the one field of its spec the audit reads. */
function nodeNameOf(pod: AuditedObject): string | undefined {
  const spec = pod.spec as { nodeName?: string } | undefined;
  return spec?.nodeName || undefined;
}

/** Each tenant namespace's placement annotation against its tenant: there when it has a pool, never another team's. */
function placement(inventory: Inventory, tenants: AuditedTenant[]): Finding[] {
  const namespaces = new Map(ofKind(inventory, 'Namespace').map((namespace) => [namespace.metadata.name, namespace]));
  const findings: Finding[] = [];
  for (const tenant of tenants) {
    for (const name of tenant.namespaces) {
      const namespace = namespaces.get(name);
      if (!namespace) continue;
      const placed = namespace.metadata.annotations?.[dedicatedNodesAnnotation];
      const base = { object: describeObject(namespace), tenant: tenant.name };
      if (placed !== undefined && placed !== tenant.team) {
        findings.push({
          ...base,
          severity: 'high',
          rule: 'namespace-placement-other-team',
          message: `${dedicatedNodesAnnotation} is "${placed}", not the team ${tenant.team}: its pods are placed on team ${placed}'s dedicated nodes`,
          fix: tenant.pool
            ? `set ${dedicatedNodesAnnotation}=${tenant.team} (Landlord sets it; only the operator may change a tenant namespace) and find who changed it`
            : `remove ${dedicatedNodesAnnotation} (the tenant has no pool) and find who set it`,
        });
      } else if (placed === undefined && tenant.pool) {
        findings.push({
          ...base,
          severity: 'medium',
          rule: 'namespace-no-placement',
          message: `tenant ${tenant.name} has a dedicated node pool, but the namespace lacks ${dedicatedNodesAnnotation}=${tenant.team}: its pods are not pinned to the pool and run on the shared nodes, beside everyone else's`,
          fix: `set ${dedicatedNodesAnnotation}=${tenant.team} (Landlord sets it; only the operator may change a tenant namespace) and find who removed it`,
        });
      }
    }
  }
  return findings;
}
