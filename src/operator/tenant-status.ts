import type { Tenant, TenantCondition, TenantStatus } from '../api/tenant.ts';
import { isDeepStrictEqual } from 'node:util';
import type { KubeHttp } from '../kube/http.ts';
import type { WriteCounter } from './applier.ts';
import { ignoringGone } from './finalizer.ts';
import { tenantResource } from '../api/crd.ts';
import { apiPath } from '../kube/api-path.ts';
import { mergePatchTo } from './merge-patch.ts';

/** Writes the tenant's status only when it differs from what is stored: an unchanged tenant costs no write. */
export async function writeStatus(http: KubeHttp, tenant: Tenant, status: TenantStatus, countWrite: WriteCounter) {
  if (isDeepStrictEqual(normalise(tenant.status), normalise(status))) return false;
  const written = await ignoringGone(
    http.request({
      method: 'PATCH',
      path: apiPath(tenantResource, { name: tenant.metadata.name, subresource: 'status' }),
      // The accepted spec as a whole: a field it no longer has is removed, not kept by the merge.
      body: {
        status: {
          ...status,
          acceptedSpec: mergePatchTo(tenant.status?.acceptedSpec, status.acceptedSpec),
          // A pool given back entirely leaves status.nodePool: removed, not kept by the merge.
          nodePool: status.nodePool ? mergePatchTo(tenant.status?.nodePool, status.nodePool) : null,
        },
      },
      contentType: 'application/merge-patch+json',
    }),
  );
  if (written) countWrite('status');
  return written;
}

/** Undefined fields are absent once stored: compare what the API server would keep. */
function normalise(status: TenantStatus | undefined): unknown {
  return JSON.parse(JSON.stringify(status ?? {}));
}

/** The condition of a type, if set. */
export function conditionOf(status: TenantStatus | undefined, type: string): TenantCondition | undefined {
  return status?.conditions?.find((condition) => condition.type === type);
}
