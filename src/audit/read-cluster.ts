import { tenantResource } from '../api/crd.ts';
import { apiPath, type ResourceType } from '../kube/api-path.ts';
import type { KubeHttp } from '../kube/http.ts';
import { resources } from '../kube/resources.ts';
import { tenantLabel } from '../tenancy/ownership.ts';
import type { AuditedObject, Inventory } from './inventory.ts';

const rbac = 'rbac.authorization.k8s.io/v1';
const argo = 'argoproj.io/v1alpha1';

/** The collections the audit reads whole: what decides who can reach what. */
const collections: ResourceType[] = [
  tenantResource,
  resources.namespace,
  { apiVersion: argo, kind: 'AppProject', plural: 'appprojects', namespaced: true },
  { apiVersion: rbac, kind: 'RoleBinding', plural: 'rolebindings', namespaced: true },
  { apiVersion: rbac, kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', namespaced: false },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', plural: 'networkpolicies', namespaced: true },
  resources.resourceQuota,
];

/** Other kinds read only where they carry a tenant label, to check who owns them. */
const labelledOnly: ResourceType[] = [
  resources.argoApplication,
  { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
  { apiVersion: 'v1', kind: 'LimitRange', plural: 'limitranges', namespaced: true },
  { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
  resources.serviceAccount,
  { apiVersion: rbac, kind: 'Role', plural: 'roles', namespaced: true },
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

async function list(http: KubeHttp, collection: ResourceType, labelSelector?: string): Promise<AuditedObject[]> {
  const path = apiPath(collection);
  const response = await http.send({
    method: 'GET',
    path,
    ...(labelSelector ? { query: { labelSelector } } : {}),
  });
  if (response.status === 404) return [];
  if (response.status !== 200) {
    throw new Error(
      `reading ${collection.kind} (${path}) failed: HTTP ${response.status} ${response.body.slice(0, 300)}`,
    );
  }
  const items = (JSON.parse(response.body) as { items: AuditedObject[] }).items;
  // List items come without apiVersion and kind.
  return items.map((item) => ({ ...item, apiVersion: collection.apiVersion, kind: collection.kind }));
}
