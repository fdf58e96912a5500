import type { KubeHttp } from '../../src/kube/http.ts';

/** The platform's emergency group: the only people besides the operator who may change what Landlord owns. */
export const breakGlassGroup = 'landlord:break-glass';

/** Request headers acting as an on-call engineer of the break-glass group (the plants of drift tests). */
export const asBreakGlass = { 'Impersonate-User': 'oncall@financecore.example', 'Impersonate-Group': breakGlassGroup };

/** Gives the break-glass group cluster-admin (as a platform would), so tests can plant what an attacker would. */
export async function ensureBreakGlassAdmin(http: KubeHttp): Promise<void> {
  const binding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'landlord-break-glass' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: breakGlassGroup }],
  };
  const path = `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${binding.metadata.name}`;
  await http.request({
    method: 'PATCH',
    path,
    query: { fieldManager: 'landlord-tests', force: 'true' },
    body: binding,
    contentType: 'application/apply-patch+yaml',
  });
}
