import type { Finding } from './finding.ts';
import {
  type AuditedObject,
  type AuditedTenant,
  describeObject,
  type Inventory,
  namespaceOwners,
  ofKind,
} from './inventory.ts';
import { checkHouseBinding } from './check-house-rbac.ts';
import { excessRights, type RoleRef, teamRole } from './rbac-rights.ts';
import { everyoneSubjects, tenantSubjects } from './tenant-subjects.ts';

/**
 * Rules about RBAC: a tenant's subjects bound cluster-wide, in namespaces that are not theirs, or in another
 * tenant's; and, inside a tenant's namespaces, bindings to roles stronger than the team's own or to everyone.
 */
export function checkRbac(inventory: Inventory, tenants: AuditedTenant[]): Finding[] {
  const owners = namespaceOwners(tenants);
  const clusterWide = ofKind(inventory, 'ClusterRoleBinding').flatMap((binding) =>
    tenantSubjects(binding, tenants).map(({ tenant, subject }) => ({
      severity: 'high' as const,
      rule: 'rbac-cluster-wide',
      object: describeObject(binding),
      tenant: tenant.name,
      message: `${subject} of tenant ${tenant.name} holds ${roleOf(binding)} in every namespace and on cluster-scoped objects`,
      fix: `bind it with RoleBindings in the tenant's namespaces only (${[...tenant.namespaces].join(', ')})`,
    })),
  );
  const namespaced = ofKind(inventory, 'RoleBinding').flatMap((binding) => {
    const owner = owners.get(binding.metadata.namespace ?? '');
    return [
      ...grantsAcross(binding, tenants, owner),
      // A house's host namespace is not the team's: its bindings are judged by the house's model (ADR 29).
      ...(owner?.house ? checkHouseBinding(inventory, binding, owner) : []),
      ...(owner && !owner.house ? strongerThanTeam(inventory, binding, owner) : []),
      ...(owner ? toEveryone(binding, owner) : []),
    ];
  });
  return [...clusterWide, ...namespaced];
}

/** A tenant's subjects bound in a namespace that is not the tenant's: another tenant's, or the platform's. */
function grantsAcross(binding: AuditedObject, tenants: AuditedTenant[], owner: AuditedTenant | undefined): Finding[] {
  const namespace = binding.metadata.namespace ?? '';
  return tenantSubjects(binding, tenants)
    .filter(({ tenant }) => !tenant.namespaces.has(namespace))
    .map(({ tenant, subject }) =>
      owner
        ? {
            severity: 'high',
            rule: 'rbac-grant-to-other-tenant',
            object: describeObject(binding),
            tenant: owner.name,
            message: `${roleOf(binding)} in tenant ${owner.name}'s namespace ${namespace} is granted to ${subject} of tenant ${tenant.name}`,
            fix: `delete the RoleBinding: only ${owner.name}'s own group and ServiceAccounts act in its namespaces`,
          }
        : {
            severity: 'high',
            rule: 'rbac-outside-namespaces',
            object: describeObject(binding),
            tenant: tenant.name,
            message: `${subject} of tenant ${tenant.name} holds ${roleOf(binding)} in namespace ${namespace}, which is not the tenant's`,
            fix: "delete the RoleBinding, or move the namespace into the tenant's spec if it is theirs",
          },
    );
}

/** A binding in a tenant namespace to a role with rights the team's `admin` lacks, whoever its subjects are. */
function strongerThanTeam(inventory: Inventory, binding: AuditedObject, owner: AuditedTenant): Finding[] {
  const excess = excessRights(inventory, binding.roleRef as RoleRef, binding.metadata.namespace);
  if (!excess.length) return [];
  return [
    {
      severity: excess.some((right) => right.severity === 'high') ? 'high' : 'medium',
      rule: 'rbac-stronger-than-team',
      object: describeObject(binding),
      tenant: owner.name,
      message: `${roleOf(binding)} in tenant ${owner.name}'s namespace ${binding.metadata.namespace} gives more than the team's own ${teamRole}: ${excess.map((right) => right.what).join('; ')} (to ${subjectList(binding)})`,
      fix: `delete the RoleBinding; a team holds ClusterRole ${teamRole} in its namespaces and may bind only rights it holds`,
    },
  ];
}

/** A binding in a tenant namespace to every user, every ServiceAccount, or anonymous requests. */
function toEveryone(binding: AuditedObject, owner: AuditedTenant): Finding[] {
  const everyone = everyoneSubjects(binding);
  if (!everyone.length) return [];
  return [
    {
      severity: 'high',
      rule: 'rbac-grant-to-everyone',
      object: describeObject(binding),
      tenant: owner.name,
      message: `${roleOf(binding)} in tenant ${owner.name}'s namespace ${binding.metadata.namespace} is granted to ${everyone.join(', ')}: every other tenant too`,
      fix: "delete the RoleBinding, or name the team's own group instead",
    },
  ];
}

function subjectList(binding: AuditedObject): string {
  const subjects = (binding.subjects ?? []) as { kind: string; name: string; namespace?: string }[];
  return subjects.map((s) => `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`).join(', ') || 'nobody';
}

function roleOf(binding: AuditedObject): string {
  const ref = binding.roleRef as RoleRef | undefined;
  return `${ref?.kind ?? '?'} ${ref?.name ?? '?'}`;
}
