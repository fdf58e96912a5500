import type { Tenant } from '../api/tenant.ts';
import type { Manifest } from './manifest.ts';
import { costCenterLabel, tenantLabels } from './ownership.ts';
import { tenantNamespaces } from './names.ts';
import type { PlatformConfig } from '../api/platform-config.ts';
import type { KubernetesConcern } from './concern.ts';
import { placementAnnotations } from './node-pool.ts';
import { isHouse } from './house/is-house.ts';
import { buildHouseNamespace } from './house/namespace.ts';
import { houseFile } from './house/layout.ts';

/**
 * Annotation on each tenant namespace: the tenant's directory group, the one Group a RoleBinding there may name
 * (deploy/admission/tenant-rolebindings.yaml). An annotation because a group name may hold spaces.
 */
export const adGroupAnnotation = 'landlord.dev/ad-group';

/**
 * The tenant's namespaces, labelled with the tenant and its cost centre, with Pod Security enforced, annotated
 * with the tenant's directory group and, with a node pool, the team whose nodes its pods are placed on.
 */
export function buildNamespaces(tenant: Tenant, platform: PlatformConfig): Manifest[] {
  const level = platform.podSecurityLevel;
  return tenantNamespaces(tenant).map((name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      annotations: { [adGroupAnnotation]: tenant.spec.adGroup, ...placementAnnotations(tenant) },
      labels: {
        ...tenantLabels(tenant),
        [costCenterLabel]: tenant.spec.costCenter,
        'pod-security.kubernetes.io/enforce': level,
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/audit': level,
        'pod-security.kubernetes.io/audit-version': 'latest',
        'pod-security.kubernetes.io/warn': level,
        'pod-security.kubernetes.io/warn-version': 'latest',
      },
    },
  }));
}

/** The tenant's namespaces: everything else lives in them, so they come first. */
export const namespacesConcern: KubernetesConcern = {
  name: 'Namespaces',
  condition: 'NamespacesReady',
  holding: 'owned',
  kinds: [{ apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, watch: 'cluster' }],
  build: (tenant, platform) =>
    isHouse(tenant) ? buildHouseNamespace(tenant, platform) : buildNamespaces(tenant, platform),
  file: (object, tenant) => (isHouse(tenant) ? houseFile(object) : 'namespace.yaml'),
};
