import type { Finding } from './finding.ts';
import { type AuditedObject, type AuditedTenant, describeObject, type Inventory, ofKind } from './inventory.ts';

interface Subject {
  kind: string;
  name: string;
}

/** A binding of one tenant's group. */
interface TenantBinding {
  binding: AuditedObject;
  group: string;
  tenant: AuditedTenant;
}

/** Rules about RBAC: a tenant's groups bound cluster-wide, or in namespaces that are not the tenant's. */
export function checkRbac(inventory: Inventory, tenants: AuditedTenant[]): Finding[] {
  const clusterWide = tenantBindings(ofKind(inventory, 'ClusterRoleBinding'), tenants).map(
    ({ binding, group, tenant }) => ({
      severity: 'high' as const,
      rule: 'rbac-cluster-wide',
      object: describeObject(binding),
      tenant: tenant.name,
      message: `group ${group} of tenant ${tenant.name} holds ${roleOf(binding)} in every namespace and on cluster-scoped objects`,
      fix: `bind the group with RoleBindings in the tenant's namespaces only (${[...tenant.namespaces].join(', ')})`,
    }),
  );
  const outside = tenantBindings(ofKind(inventory, 'RoleBinding'), tenants)
    .filter(({ binding, tenant }) => !tenant.namespaces.has(binding.metadata.namespace ?? ''))
    .map(({ binding, group, tenant }) => ({
      severity: 'high' as const,
      rule: 'rbac-outside-namespaces',
      object: describeObject(binding),
      tenant: tenant.name,
      message: `group ${group} of tenant ${tenant.name} holds ${roleOf(binding)} in namespace ${binding.metadata.namespace}, which is not the tenant's`,
      fix: "delete the RoleBinding, or move the namespace into the tenant's spec if it is theirs",
    }));
  return [...clusterWide, ...outside];
}

/** Each (binding, tenant group) pair among the bindings. */
function tenantBindings(bindings: AuditedObject[], tenants: AuditedTenant[]): TenantBinding[] {
  return bindings.flatMap((binding) =>
    ((binding.subjects ?? []) as Subject[])
      .filter((subject) => subject.kind === 'Group')
      .flatMap((subject) =>
        tenants
          .filter((tenant) => tenant.groups.has(subject.name))
          .map((tenant) => ({ binding, group: subject.name, tenant })),
      ),
  );
}

function roleOf(binding: AuditedObject): string {
  const ref = binding.roleRef as { kind?: string; name?: string } | undefined;
  return `${ref?.kind ?? '?'} ${ref?.name ?? '?'}`;
}
