import type { Tenant } from '../api/tenant.ts';
import type { DesiredState } from '../tenancy/desired-state.ts';
import type { ReconcileContext } from './context.ts';
import { isOwnedBy } from './owner-reference.ts';

/**
 * Lets go of what the tenant holds but no longer wants (a namespace suffix removed from the spec, a smaller
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
    for (const object of ctx.cache.labelledFor(kind.kind, tenant.metadata.name)) {
      const key = `${kind.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;
      if (desired.has(key)) continue;
      if (kind.holding === 'claimed' && (await ctx.applier.release(object, tenant))) pruned++;
      if (kind.holding === 'owned' && isOwnedBy(object, tenant) && (await ctx.applier.deleteOwned(object, tenant)))
        pruned++;
    }
  }
  return pruned;
}
