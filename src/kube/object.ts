import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';

/** Any Kubernetes object as the API server sends it: the fields every kind shares, the rest unknown. */
export interface KubernetesObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}
