import type { KubernetesObject } from './object.ts';
import { apiPath } from './api-path.ts';
import type { Discovery } from './discovery.ts';
import type { KubeHttp } from './http.ts';

/** Landlord's one field manager: every object it writes is applied under this name. */
export const fieldManager = 'landlord';

/**
 * Server-side applies one object under Landlord's field manager. Applying what is already there is a no-op
 * for the API server (same resourceVersion), which keeps repeated runs free of writes.
 */
export async function applyObject<T extends KubernetesObject>(
  http: KubeHttp,
  discovery: Discovery,
  object: T,
): Promise<T> {
  const { apiVersion, kind, metadata } = object;
  if (!apiVersion || !kind || !metadata?.name)
    throw new Error('an applied object needs apiVersion, kind and metadata.name');
  const resource = await discovery.resource(apiVersion, kind);
  return http.request<T>({
    method: 'PATCH',
    path: apiPath(resource, { namespace: metadata.namespace, name: metadata.name }),
    query: { fieldManager, force: 'true', fieldValidation: 'Strict' },
    body: object,
    contentType: 'application/apply-patch+yaml',
  });
}
