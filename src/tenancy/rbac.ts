import type { Tenant } from '../api/tenant.ts';
import type { Manifest } from './manifest.ts';
import { accessServiceAccountName, tenantNamespaces } from './names.ts';
import { tenantLabels } from './ownership.ts';

/**
 * The ServiceAccount behind the portal's kubeconfig downloads, in the team's own namespace. It holds no
 * long-lived token: the portal asks the API server for short-lived ones (TokenRequest).
 */
export function buildAccessServiceAccount(tenant: Tenant): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: accessServiceAccountName, namespace: tenant.spec.teamName, labels: tenantLabels(tenant) },
    automountServiceAccountToken: false,
  };
}

/**
 * The team's directory group (and its access ServiceAccount) get the built-in `admin` role in each of its
 * namespaces, and nothing cluster-wide: `admin` cannot change the namespace, its quota or its RoleBindings to
 * roles it lacks.
 */
export function buildRoleBindings(tenant: Tenant): Manifest[] {
  return tenantNamespaces(tenant).map((namespace) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: `${tenant.spec.teamName}-admins`, namespace, labels: tenantLabels(tenant) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
    subjects: [
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: tenant.spec.adGroup },
      { kind: 'ServiceAccount', name: accessServiceAccountName, namespace: tenant.spec.teamName },
    ],
  }));
}
