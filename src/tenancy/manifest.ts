import type { OwnerReference as V1OwnerReference } from 'kubernetes-types/meta/v1.js';

/**
 * A Kubernetes object exactly as it goes over the wire. Builders use this (or client-node types whose fields
 * match the JSON names) because client-node renames some fields in TypeScript (LimitRange's `default` is
 * `_default` there) and our client sends objects as they are.
 */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
    ownerReferences?: V1OwnerReference[];
  };
  [field: string]: unknown;
}
