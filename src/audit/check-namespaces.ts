import type { Finding } from './finding.ts';
import {
  type AuditedObject,
  type AuditedTenant,
  describeObject,
  type Inventory,
  inNamespace,
  ofKind,
} from './inventory.ts';
import type { AuditOptions } from './options.ts';

const enforceLabel = 'pod-security.kubernetes.io/enforce';
/** Pod Security levels from the most open to the strictest. */
const levels = ['privileged', 'baseline', 'restricted'];

/** Rules about each tenant namespace: a quota, and Pod Security enforced at the platform's level. */
export function checkNamespaces(inventory: Inventory, tenants: AuditedTenant[], options: AuditOptions): Finding[] {
  const byName = new Map(ofKind(inventory, 'Namespace').map((namespace) => [namespace.metadata.name, namespace]));
  const findings: Finding[] = [];
  for (const tenant of tenants) {
    for (const name of tenant.namespaces) {
      const namespace = byName.get(name);
      if (!namespace) continue;
      const base = { object: describeObject(namespace), tenant: tenant.name };
      if (inNamespace(inventory, 'ResourceQuota', name).length === 0) {
        findings.push({
          ...base,
          severity: 'medium',
          rule: 'namespace-no-quota',
          message: 'no ResourceQuota: the tenant can take the shared nodes from everyone else',
          fix: "add the tenant's ResourceQuota (Landlord splits spec.resourceQuota across its namespaces)",
        });
      }
      // A house's namespace enforces restricted whatever the platform's level (ADR 29).
      const podSecurity = checkPodSecurity(namespace, tenant.house ? 'restricted' : options.podSecurityLevel);
      if (podSecurity) findings.push({ ...base, ...podSecurity });
    }
  }
  return findings;
}

/** Pod Security off or privileged (the node is the pod's), or a level other than the platform's. */
function checkPodSecurity(
  namespace: AuditedObject,
  platform: AuditOptions['podSecurityLevel'],
): Omit<Finding, 'object' | 'tenant'> | undefined {
  const enforce = namespace.metadata.labels?.[enforceLabel];
  if (!enforce || enforce === 'privileged') {
    return {
      severity: 'high',
      rule: 'namespace-no-pod-security',
      message: `Pod Security is ${enforce ? 'privileged' : 'not enforced'}: privileged or host-access pods can break out to the node`,
      fix: `label the namespace ${enforceLabel}=${platform} (the platform's level; Landlord sets it)`,
    };
  }
  if (enforce === platform) return undefined;
  const weaker = levels.indexOf(enforce) < levels.indexOf(platform);
  return {
    severity: weaker ? 'high' : 'medium',
    rule: 'namespace-pod-security-level',
    message: `Pod Security enforces "${enforce}", not the platform's "${platform}": someone other than Landlord changed the namespace's labels${weaker ? ', and pods the platform forbids are admitted' : ''}`,
    fix: `label the namespace ${enforceLabel}=${platform}, and find who could change it (its ownerReference, RoleBindings to namespace writes)`,
  };
}
