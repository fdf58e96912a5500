import type { Finding } from './finding.ts';
import { type AuditedObject, type AuditedTenant, describeObject, type Inventory } from './inventory.ts';
import { houseNamespaceOf } from './houses.ts';
import { dangerousRights, type PolicyRule, type RoleRef, roleReadsSecrets, rulesOf } from './rbac-rights.ts';
import { everyoneSubjects, subjectsOf } from './tenant-subjects.ts';

const writeVerbs = ['create', 'update', 'patch', 'delete', 'deletecollection', '*'];
/** The platform's own namespaced kinds, by API group: whoever writes them in a house namespace sets its limits. */
const platformResources: Record<string, string[]> = {
  '': ['resourcequotas', 'limitranges'],
  'networking.k8s.io': ['networkpolicies'],
  'argoproj.io': ['applications', 'appprojects', 'applicationsets'],
};

/**
 * A RoleBinding in a house's host namespace, judged by the house's model (ADR 29) instead of the team's `admin`: the
 * team holds nothing there (the namespace keeps vc-<team>, the house's admin certificate, which cannot be revoked),
 * and what the chart deployer and the chart's own accounts hold must not reach the platform's kinds (the house's
 * quota, limits and network policies) nor hand over more than the namespace.
 */
export function checkHouseBinding(inventory: Inventory, binding: AuditedObject, owner: AuditedTenant): Finding[] {
  return [...personAccess(inventory, binding, owner), ...beyondChart(inventory, binding, owner)];
}

function personAccess(inventory: Inventory, binding: AuditedObject, owner: AuditedTenant): Finding[] {
  const everyone = new Set(everyoneSubjects(binding));
  const people = subjectsOf(binding)
    .filter((s) => (s.kind === 'Group' || s.kind === 'User') && !everyone.has(`${s.kind} ${s.name}`))
    .map((s) => `${s.kind} ${s.name}`);
  if (!people.length) return [];
  const namespace = binding.metadata.namespace;
  const secrets = roleReadsSecrets(inventory, binding.roleRef as RoleRef, namespace);
  return [
    {
      severity: secrets ? 'high' : 'medium',
      rule: 'rbac-house-person',
      object: describeObject(binding),
      tenant: owner.name,
      message: `${roleOf(binding)} in house ${owner.name}'s host namespace ${namespace} is granted to ${people.join(', ')}${secrets ? `, and it reads Secrets: the house's admin certificate vc-${owner.team}, long-lived and impossible to revoke` : `: people get nothing on a house's host namespace`}`,
      fix: `delete the RoleBinding: people reach their house with short-lived tokens issued inside it, never through ${houseNamespaceOf(owner.team)} (ADR 29)`,
    },
  ];
}

function beyondChart(inventory: Inventory, binding: AuditedObject, owner: AuditedTenant): Finding[] {
  const rules = rulesOf(inventory, binding.roleRef as RoleRef, binding.metadata.namespace);
  const ref = binding.roleRef as RoleRef | undefined;
  const excess = [
    ...(ref?.kind === 'ClusterRole' && ref.name === 'cluster-admin'
      ? ['cluster-admin: every right on everything']
      : []),
    ...(rules ?? []).flatMap((rule) => [...dangerousRights(rule).map((right) => right.what), ...platformWrites(rule)]),
  ];
  if (!excess.length) return [];
  return [
    {
      severity: 'high',
      rule: 'rbac-house-beyond-chart',
      object: describeObject(binding),
      tenant: owner.name,
      message: `${roleOf(binding)} in house ${owner.name}'s host namespace ${binding.metadata.namespace} gives more than the vCluster chart needs: ${[...new Set(excess)].join('; ')} (to ${
        subjectsOf(binding)
          .map((s) => `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`)
          .join(', ') || 'nobody'
      }): objects synced from inside the house, or an Application of its project, could then replace the house's quota, limits or network policies`,
      fix: 'bind only ClusterRole landlord-house-deployer (deploy/rbac/operator.yaml) to the chart deployer, and keep that role to what the chart creates: no ResourceQuota, LimitRange, NetworkPolicy or Argo CD kinds',
    },
  ];
}

/** Writes one rule grants on the platform's namespaced kinds. */
function platformWrites(rule: PolicyRule): string[] {
  if (!(rule.verbs ?? []).some((verb) => writeVerbs.includes(verb))) return [];
  const groups = rule.apiGroups ?? [];
  return Object.entries(platformResources)
    .filter(([group]) => groups.includes(group))
    .flatMap(([, resources]) => resources.filter((resource) => (rule.resources ?? []).includes(resource)))
    .map((resource) => `write on ${resource}`);
}

function roleOf(binding: AuditedObject): string {
  const ref = binding.roleRef as RoleRef | undefined;
  return `${ref?.kind ?? '?'} ${ref?.name ?? '?'}`;
}
