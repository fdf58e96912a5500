import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { ClusterRole, ClusterRoleBinding } from 'kubernetes-types/rbac/v1.js';
import type { ServiceAccountRef } from './service-account-kubeconfig.ts';

const roleName = 'landlord:local-volume-provisioner';

/**
 * The provisioner's ServiceAccount and its rights, the least an external provisioner needs: read claims, create
 * and delete volumes (it reads no StorageClass: the class is its own, named in its code). Nothing in any namespace.
 */
export function volumeProvisionerRbac(account: ServiceAccountRef): [ServiceAccount, ClusterRole, ClusterRoleBinding] {
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { ...account } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: roleName },
      rules: [
        { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: roleName },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
      subjects: [{ kind: 'ServiceAccount', ...account }],
    },
  ];
}
