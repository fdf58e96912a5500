/** A kind of object the operator creates for tenants, and watches to correct drift. */
export interface OwnedKind {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  /** Lives only in the Argo CD namespace: watched there alone (Secrets cluster-wide would be far too much). */
  inArgoCdNamespace?: boolean;
}

/** In teardown order: Argo CD first (it must stop syncing), then RBAC and policies, namespaces last. */
export const ownedKinds: OwnedKind[] = [
  {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    plural: 'applications',
    namespaced: true,
    inArgoCdNamespace: true,
  },
  {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    plural: 'appprojects',
    namespaced: true,
    inArgoCdNamespace: true,
  },
  { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true, inArgoCdNamespace: true },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', plural: 'rolebindings', namespaced: true },
  { apiVersion: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', plural: 'networkpolicies', namespaced: true },
  { apiVersion: 'v1', kind: 'LimitRange', plural: 'limitranges', namespaced: true },
  { apiVersion: 'v1', kind: 'ResourceQuota', plural: 'resourcequotas', namespaced: true },
  { apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false },
];

/** The path the operator lists and watches a kind at: all namespaces, or the Argo CD namespace only. */
export function collectionPath(kind: OwnedKind, argoCdNamespace: string): string {
  const base = kind.apiVersion.includes('/') ? `/apis/${kind.apiVersion}` : `/api/${kind.apiVersion}`;
  return kind.inArgoCdNamespace ? `${base}/namespaces/${argoCdNamespace}/${kind.plural}` : `${base}/${kind.plural}`;
}

/** The path of one object of a kind. */
export function objectPathOf(kind: OwnedKind, name: string, namespace?: string): string {
  const base = kind.apiVersion.includes('/') ? `/apis/${kind.apiVersion}` : `/api/${kind.apiVersion}`;
  return kind.namespaced ? `${base}/namespaces/${namespace}/${kind.plural}/${name}` : `${base}/${kind.plural}/${name}`;
}

/** The owned kind of an object. */
export function ownedKindOf(apiVersion: string, kind: string): OwnedKind {
  const found = ownedKinds.find((candidate) => candidate.apiVersion === apiVersion && candidate.kind === kind);
  if (!found) throw new Error(`Landlord does not manage ${kind} (${apiVersion})`);
  return found;
}
