import type { KubeHttp } from '../kube/http.ts';
import { tenantLabel } from '../tenancy/ownership.ts';
import type { AuditedObject, Inventory } from './inventory.ts';

/** The collections the audit reads whole: what decides who can reach what. */
const collections = [
  { apiVersion: 'landlord.dev/v1alpha1', kind: 'Tenant', path: '/apis/landlord.dev/v1alpha1/tenants' },
  { apiVersion: 'v1', kind: 'Namespace', path: '/api/v1/namespaces' },
  { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', path: '/apis/argoproj.io/v1alpha1/appprojects' },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    path: '/apis/rbac.authorization.k8s.io/v1/rolebindings',
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
  },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', path: '/apis/networking.k8s.io/v1/networkpolicies' },
  { apiVersion: 'v1', kind: 'ResourceQuota', path: '/api/v1/resourcequotas' },
];

/** Other kinds read only where they carry a tenant label, to check who owns them. */
const labelledOnly = [
  { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', path: '/apis/argoproj.io/v1alpha1/applications' },
  { apiVersion: 'v1', kind: 'Secret', path: '/api/v1/secrets' },
  { apiVersion: 'v1', kind: 'LimitRange', path: '/api/v1/limitranges' },
  { apiVersion: 'v1', kind: 'ConfigMap', path: '/api/v1/configmaps' },
  { apiVersion: 'v1', kind: 'ServiceAccount', path: '/api/v1/serviceaccounts' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', path: '/apis/rbac.authorization.k8s.io/v1/roles' },
];

/** Reads the live cluster (read-only). A kind whose API is not installed (no Argo CD) reads as empty. */
export async function readCluster(http: KubeHttp): Promise<Inventory> {
  const objects: AuditedObject[] = [];
  for (const collection of collections) objects.push(...(await list(http, collection)));
  for (const collection of labelledOnly) {
    const labelled = await list(http, collection, tenantLabel);
    // Secrets are read for their metadata only: their data never enters the audit.
    objects.push(...labelled.map((object) => (object.kind === 'Secret' ? { ...object, data: undefined } : object)));
  }
  return { objects, source: 'cluster' };
}

async function list(
  http: KubeHttp,
  collection: { apiVersion: string; kind: string; path: string },
  labelSelector?: string,
): Promise<AuditedObject[]> {
  const response = await http.send({
    method: 'GET',
    path: collection.path,
    ...(labelSelector ? { query: { labelSelector } } : {}),
  });
  if (response.status === 404) return [];
  if (response.status !== 200) {
    throw new Error(
      `reading ${collection.kind} (${collection.path}) failed: HTTP ${response.status} ${response.body.slice(0, 300)}`,
    );
  }
  const items = (JSON.parse(response.body) as { items: AuditedObject[] }).items;
  // List items come without apiVersion and kind.
  return items.map((item) => ({ ...item, apiVersion: collection.apiVersion, kind: collection.kind }));
}
