import { isDeepStrictEqual } from 'node:util';
import type { KubernetesObject } from '../kube/object.ts';

/**
 * Whether an update changed nothing but the object's status (and so its resourceVersion): what the API server
 * does to a ResourceQuota on every counted create in its namespace. Such a change is no drift of a kind whose
 * status Landlord does not hold, and needs no reconcile.
 */
export function changesOnlyStatus(old: KubernetesObject, updated: KubernetesObject): boolean {
  return isDeepStrictEqual(withoutStatus(old), withoutStatus(updated));
}

function withoutStatus(object: KubernetesObject): unknown {
  const { status: _status, metadata, ...rest } = object as KubernetesObject & { status?: unknown };
  const { resourceVersion: _version, managedFields: _fields, ...identity } = metadata ?? {};
  return { ...rest, metadata: identity };
}
