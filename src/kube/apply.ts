import { describeObject, type KubernetesObject } from './object.ts';
import { errorAbout } from './api-error.ts';
import { apiPath } from './api-path.ts';
import type { Discovery } from './discovery.ts';
import type { KubeHttp } from './http.ts';

/** Landlord's one field manager: every object it writes is applied under this name. */
export const fieldManager = 'landlord';

/**
 * Server-side applies one object under Landlord's field manager. Applying what is already there is a no-op
 * for the API server (same resourceVersion), which keeps repeated runs free of writes. A failure names the
 * object ("apply NetworkPolicy devteam-a/default-deny-all: <the API server's message>") and stays a
 * KubeApiError with the API server's status, reason and details, the original error as its cause.
 */
export async function applyObject<T extends KubernetesObject>(
  http: KubeHttp,
  discovery: Discovery,
  object: T,
): Promise<T> {
  const { apiVersion, kind, metadata } = object;
  if (!apiVersion || !kind || !metadata?.name)
    throw new Error(`apply ${describeObject(object)}: an applied object needs apiVersion, kind and metadata.name`);
  try {
    const resource = await discovery.resource(apiVersion, kind);
    return await http.request<T>({
      method: 'PATCH',
      path: apiPath(resource, { namespace: metadata.namespace, name: metadata.name }),
      query: { fieldManager, force: 'true', fieldValidation: 'Strict' },
      body: object,
      contentType: 'application/apply-patch+yaml',
    });
  } catch (error) {
    throw errorAbout(`apply ${describeObject(object)}`, error);
  }
}
