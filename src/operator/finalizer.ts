import type { Tenant } from '../api/tenant.ts';
import { KubeApiError, type KubeHttp } from '../kube/http.ts';
import type { WriteCounter } from './applier.ts';
import { tenantResource } from '../api/crd.ts';
import { apiPath } from '../kube/api-path.ts';

/** Landlord's finalizer: a Tenant is not gone until its ordered teardown is done. */
export const tenantFinalizer = 'landlord.dev/teardown';

export function hasFinalizer(tenant: Tenant): boolean {
  return tenant.metadata.finalizers?.includes(tenantFinalizer) ?? false;
}

/** Adds or removes the finalizer, guarded by resourceVersion so another writer's finalizers are never lost. */
export async function setFinalizer(http: KubeHttp, tenant: Tenant, present: boolean, countWrite: WriteCounter) {
  const others = (tenant.metadata.finalizers ?? []).filter((finalizer) => finalizer !== tenantFinalizer);
  const written = await ignoringGone(
    http.request({
      method: 'PATCH',
      path: apiPath(tenantResource, { name: tenant.metadata.name }),
      body: {
        metadata: {
          resourceVersion: tenant.metadata.resourceVersion,
          finalizers: present ? [...others, tenantFinalizer] : others,
        },
      },
      contentType: 'application/merge-patch+json',
    }),
  );
  if (written) countWrite('finalizer');
}

/**
 * Runs a write to a Tenant; false when the Tenant is gone (a reconcile from a cache a step behind the teardown
 * that just removed the finalizer): nothing is left to write to, which is no failure.
 */
export async function ignoringGone(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return false;
    throw error;
  }
}
