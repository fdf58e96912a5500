import type { Tenant } from '../api/tenant.ts';
import type { KubernetesObject } from '../kube/object.ts';
import type { Holding } from '../tenancy/concern.ts';
import type { DesiredState } from '../tenancy/desired-state.ts';
import type { ReconcileContext } from './context.ts';
import { isHeldBy } from './held-record.ts';
import { recordedOutsideCache } from './recorded-objects.ts';

/**
 * Lets go of what the tenant holds but no longer wants (found by label, or by Landlord's record when the label
 * was stripped) (a namespace suffix removed from the spec, a smaller
 * node pool): owned objects are deleted, claimed ones released. Returns how many it let go.
 */
export async function pruneUndesired(ctx: ReconcileContext, tenant: Tenant, state: DesiredState): Promise<number> {
  const desired = new Set(
    state
      .flatMap((part) => part.objects)
      .map((object) => `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`),
  );
  let pruned = 0;
  for (const kind of ctx.kinds.all) {
    const labelled = ctx.cache.labelledFor(kind.kind, tenant.metadata.name);
    const stripped = kind.holding === 'owned' ? await recordedOutsideCache(ctx, tenant, kind.kind, labelled) : [];
    for (const object of [...labelled, ...stripped]) {
      const key = `${kind.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;
      if (!desired.has(key) && (await letGo(ctx, tenant, kind.holding, object))) pruned++;
    }
  }
  return pruned;
}

/** Releases a claimed object, or deletes an owned one the tenant holds; returns whether it did. */
function letGo(ctx: ReconcileContext, tenant: Tenant, holding: Holding, object: KubernetesObject): Promise<boolean> {
  if (holding === 'claimed') return ctx.applier.release(object, tenant);
  return isHeldBy(object, tenant) ? ctx.applier.deleteOwned(object, tenant) : Promise.resolve(false);
}
