import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';

/** Any Kubernetes object as the API server sends it: the fields every kind shares, the rest unknown. */
export interface KubernetesObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** How messages name an object: `NetworkPolicy devteam-a/default-deny-all`, `Namespace devteam-a`. */
export function describeObject(object: KubernetesObject): string {
  const { namespace, name } = object.metadata ?? {};
  return `${object.kind ?? 'object'} ${namespace ? `${namespace}/` : ''}${name ?? '(unnamed)'}`;
}
