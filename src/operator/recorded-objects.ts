import type { Tenant } from '../api/tenant.ts';
import { KubeApiError } from '../kube/http.ts';
import type { KubernetesObject } from '../kube/object.ts';
import type { ReconcileContext } from './context.ts';
import { type HeldObject, recordedOfKind } from './held-record.ts';

/**
 * The recorded objects of a kind that the label-selected cache does not show (someone stripped the label),
 * read from the API server; those gone, or replaced by a namesake with another UID, are left out.
 */
export async function recordedOutsideCache(
  ctx: ReconcileContext,
  tenant: Tenant,
  kind: string,
  cached: KubernetesObject[],
): Promise<KubernetesObject[]> {
  const seen = new Set(cached.map((object) => object.metadata?.uid));
  const found: KubernetesObject[] = [];
  for (const held of recordedOfKind(tenant, kind).filter((entry) => !seen.has(entry.uid))) {
    const live = await readRecorded(ctx, held);
    if (live?.metadata?.uid === held.uid) found.push(live);
  }
  return found;
}

async function readRecorded(ctx: ReconcileContext, held: HeldObject): Promise<KubernetesObject | undefined> {
  try {
    const path = ctx.kinds.objectPath(held.apiVersion, held.kind, held.name, held.namespace);
    return await ctx.http.request<KubernetesObject>({ method: 'GET', path });
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return undefined;
    throw error;
  }
}
