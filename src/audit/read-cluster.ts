import { tenantResource } from '../api/crd.ts';
import { apiPath, type ResourceType } from '../kube/api-path.ts';
import type { KubeHttp } from '../kube/http.ts';
import { resources } from '../kube/resources.ts';
import { tenantLabel } from '../tenancy/ownership.ts';
import { tokenSecretType } from './check-tokens.ts';
import type { AuditedObject, Inventory } from './inventory.ts';

const rbac = 'rbac.authorization.k8s.io/v1';
const argo = 'argoproj.io/v1alpha1';
const secrets: ResourceType = { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true };
/** Lists answered with metadata only: a Secret's data never leaves the API server. */
const metadataOnly = 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io';

/** The collections the audit reads whole: what decides who can reach what. */
const collections: ResourceType[] = [
  tenantResource,
  resources.namespace,
  { apiVersion: argo, kind: 'AppProject', plural: 'appprojects', namespaced: true },
  { apiVersion: rbac, kind: 'RoleBinding', plural: 'rolebindings', namespaced: true },
  { apiVersion: rbac, kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', namespaced: false },
  // Roles say what a binding gives: `admin` is the measure of a team's own rights.
  { apiVersion: rbac, kind: 'Role', plural: 'roles', namespaced: true },
  { apiVersion: rbac, kind: 'ClusterRole', plural: 'clusterroles', namespaced: false },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', plural: 'networkpolicies', namespaced: true },
  resources.resourceQuota,
];

/** Other kinds read only where they carry a tenant label, to check who owns them. */
const labelledOnly: ResourceType[] = [
  resources.argoApplication,
  { apiVersion: 'v1', kind: 'LimitRange', plural: 'limitranges', namespaced: true },
  { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
  resources.serviceAccount,
];

/**
 * Reads the live cluster (read-only). A kind whose API is not installed (no Argo CD) reads as empty. `nodeOwnerLabel`
 * (the platform's nodePools.ownerLabel) tells the dedicated nodes, whose pods are read.
 */
export async function readCluster(http: KubeHttp, nodeOwnerLabel: string): Promise<Inventory> {
  const objects: AuditedObject[] = [];
  for (const collection of collections) objects.push(...(await list(http, collection)));
  for (const collection of labelledOnly)
    objects.push(...(await list(http, collection, { labelSelector: tenantLabel })));
  objects.push(...(await readSecrets(http)));
  objects.push(...(await readDedicatedNodes(http, nodeOwnerLabel)));
  return { objects, source: 'cluster' };
}

/**
 * The dedicated nodes (metadata only) and the pods on each, as metadata and spec.nodeName only: the node is asked
 * for by field selector, so no pod's spec (its environment, its commands) leaves the API server.
 */
async function readDedicatedNodes(http: KubeHttp, ownerLabel: string): Promise<AuditedObject[]> {
  const nodes = await list(http, resources.node, { labelSelector: ownerLabel }, metadataOnly);
  const objects: AuditedObject[] = [...nodes];
  for (const node of nodes) {
    const nodeName = node.metadata.name;
    const pods = await list(http, resources.pod, { fieldSelector: `spec.nodeName=${nodeName}` }, metadataOnly);
    objects.push(...pods.map((pod) => ({ ...pod, spec: { nodeName } })));
  }
  return objects;
}

/**
 * Secrets, as metadata only: those labelled as a tenant's (who owns them), and every ServiceAccount token
 * Secret in the cluster (the field selector gives their type; whether a tenant can read them is judged later).
 */
async function readSecrets(http: KubeHttp): Promise<AuditedObject[]> {
  const labelled = await list(http, secrets, { labelSelector: tenantLabel }, metadataOnly);
  const tokens = await list(http, secrets, { fieldSelector: `type=${tokenSecretType}` }, metadataOnly);
  const byUid = new Map<string, AuditedObject>();
  for (const secret of labelled) byUid.set(secret.metadata.uid ?? '', secret);
  for (const token of tokens) byUid.set(token.metadata.uid ?? '', { ...token, type: tokenSecretType });
  return [...byUid.values()];
}

async function list(
  http: KubeHttp,
  collection: ResourceType,
  query: Record<string, string> = {},
  accept?: string,
): Promise<AuditedObject[]> {
  const path = apiPath(collection);
  const response = await http.send({ method: 'GET', path, query, ...(accept ? { headers: { Accept: accept } } : {}) });
  if (response.status === 404) return [];
  if (response.status !== 200) {
    throw new Error(
      `reading ${collection.kind} (${path}) failed: HTTP ${response.status} ${response.body.slice(0, 300)}`,
    );
  }
  // An empty metadata-only list says `items: null`.
  const items = (JSON.parse(response.body) as { items: AuditedObject[] | null }).items ?? [];
  // List items come without apiVersion and kind (metadata-only items name PartialObjectMetadata): ours are set.
  return items.map((item) =>
    accept
      ? { apiVersion: collection.apiVersion, kind: collection.kind, metadata: item.metadata }
      : { ...item, apiVersion: collection.apiVersion, kind: collection.kind },
  );
}
