import type { Finding } from './finding.ts';
import { type AuditedObject, type AuditedTenant, describeObject, type Inventory, ofKind } from './inventory.ts';

interface Subject {
  kind: string;
  name: string;
}

/** Rules about RBAC: a tenant's groups bound cluster-wide, or in namespaces that are not the tenant's. */
export function checkRbac(inventory: Inventory, tenants: AuditedTenant[]): Finding[] {
  const tenantsOfGroup = new Map<string, AuditedTenant[]>();
  for (const tenant of tenants) {
    for (const group of tenant.groups) tenantsOfGroup.set(group, [...(tenantsOfGroup.get(group) ?? []), tenant]);
  }
  const groupsIn = (binding: AuditedObject) =>
    ((binding.subjects ?? []) as Subject[]).filter((s) => s.kind === 'Group' && tenantsOfGroup.has(s.name));
  const roleOf = (binding: AuditedObject) => {
    const ref = binding.roleRef as { kind?: string; name?: string } | undefined;
    return `${ref?.kind ?? '?'} ${ref?.name ?? '?'}`;
  };
  const findings: Finding[] = [];
  for (const binding of ofKind(inventory, 'ClusterRoleBinding')) {
    for (const subject of groupsIn(binding)) {
      for (const tenant of tenantsOfGroup.get(subject.name) ?? []) {
        findings.push({
          severity: 'high',
          rule: 'rbac-cluster-wide',
          object: describeObject(binding),
          tenant: tenant.name,
          message: `group ${subject.name} of tenant ${tenant.name} holds ${roleOf(binding)} in every namespace and on cluster-scoped objects`,
          fix: `bind the group with RoleBindings in the tenant's namespaces only (${[...tenant.namespaces].join(', ')})`,
        });
      }
    }
  }
  for (const binding of ofKind(inventory, 'RoleBinding')) {
    const namespace = binding.metadata.namespace ?? '';
    for (const subject of groupsIn(binding)) {
      for (const tenant of tenantsOfGroup.get(subject.name) ?? []) {
        if (tenant.namespaces.has(namespace)) continue;
        findings.push({
          severity: 'high',
          rule: 'rbac-outside-namespaces',
          object: describeObject(binding),
          tenant: tenant.name,
          message: `group ${subject.name} of tenant ${tenant.name} holds ${roleOf(binding)} in namespace ${namespace}, which is not the tenant's`,
          fix: `delete the RoleBinding, or move the namespace into the tenant's spec if it is theirs`,
        });
      }
    }
  }
  return findings;
}
