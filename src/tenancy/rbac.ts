import type { Tenant } from '../api/tenant.ts';
import type { Manifest } from './manifest.ts';
import { deployerServiceAccountName, tenantNamespaces } from './names.ts';
import type { PlatformConfig } from '../api/platform-config.ts';
import { tenantLabels } from './ownership.ts';
import type { KubernetesConcern } from './concern.ts';
import { isHouse } from './house/is-house.ts';
import { buildHouseRbac, houseDeployerRole, houseRegistrarRole } from './house/rbac.ts';
import { houseFile } from './house/layout.ts';

/**
 * The ServiceAccount Argo CD syncs the team's repository as (the AppProject's destinationServiceAccounts), in
 * Argo CD's namespace: no pod of the team can mount it and the team cannot ask for its token. No token Secret.
 */
export function buildDeployerServiceAccount(tenant: Tenant, platform: PlatformConfig): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: deployerServiceAccountName(tenant),
      namespace: platform.argocd.namespace,
      labels: tenantLabels(tenant),
    },
    automountServiceAccountToken: false,
  };
}

/**
 * The team's role in its namespaces: Landlord's own ClusterRole (deploy/rbac/team-role.yaml), the built-in
 * `admin` less minting ServiceAccount tokens (ADR 18).
 */
export const teamRoleName = 'landlord-team';

/**
 * The team's directory group and its deployer get the team's role in each of its
 * namespaces, and nothing cluster-wide: it cannot change the namespace, its quota, its RoleBindings to roles it
 * lacks, or mint tokens. The deployer in the same binding holds what the team holds, no more.
 */
export function buildRoleBindings(tenant: Tenant, platform: PlatformConfig): Manifest[] {
  return tenantNamespaces(tenant).map((namespace) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: `${tenant.spec.teamName}-admins`, namespace, labels: tenantLabels(tenant) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: teamRoleName },
    subjects: [
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: tenant.spec.adGroup },
      { kind: 'ServiceAccount', name: deployerServiceAccountName(tenant), namespace: platform.argocd.namespace },
    ],
  }));
}

/**
 * Who may act in the tenant's namespaces, with the team's role: its directory group and its deployer (each person's
 * own ServiceAccount is bound by the portal: person-access.ts, ADR 17).
 */
export const rbacConcern: KubernetesConcern = {
  name: 'RBAC',
  condition: 'RBACReady',
  holding: 'owned',
  kinds: [
    { apiVersion: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true, watch: 'cluster' },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      plural: 'rolebindings',
      namespaced: true,
      watch: 'cluster',
      // roleRef cannot change once created; subjects are who gets the rights.
      exact: ['subjects', 'roleRef'],
    },
  ],
  // Binding the team's role without holding its rights everywhere: `bind` on that one ClusterRole.
  extraRights: [
    {
      apiGroup: 'rbac.authorization.k8s.io',
      resource: 'clusterroles',
      verbs: ['bind'],
      resourceNames: [teamRoleName],
      scope: 'cluster',
    },
    // A house's chart deployer and the operator's read of the house's Secrets: bound, never held (house/rbac.ts).
    {
      apiGroup: 'rbac.authorization.k8s.io',
      resource: 'clusterroles',
      verbs: ['bind'],
      resourceNames: [houseDeployerRole, houseRegistrarRole],
      scope: 'cluster',
    },
  ],
  build: (tenant, platform) =>
    isHouse(tenant)
      ? buildHouseRbac(tenant, platform)
      : [buildDeployerServiceAccount(tenant, platform), ...buildRoleBindings(tenant, platform)],
  file: (object, tenant) => (isHouse(tenant) ? houseFile(object) : 'rbac.yaml'),
};
