import type { Tenant } from '../api/tenant.ts';
import type { DesiredState } from '../tenancy/desired-state.ts';
import type { ReconcileContext } from './context.ts';
import { ownedKinds } from './owned-kinds.ts';
import { isOwnedBy } from './owner-reference.ts';

/** Deletes objects the tenant owns that it no longer wants (a namespace suffix removed from the spec, say). */
export async function pruneUndesired(ctx: ReconcileContext, tenant: Tenant, state: DesiredState): Promise<number> {
  const desired = new Set(
    state
      .flatMap((part) => part.objects)
      .map((object) => `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`),
  );
  let pruned = 0;
  for (const kind of ownedKinds) {
    for (const object of ctx.cache.labelledFor(kind.kind, tenant.metadata.name)) {
      const key = `${kind.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;
      if (desired.has(key) || !isOwnedBy(object, tenant)) continue;
      if (await ctx.applier.deleteOwned(object, tenant)) pruned++;
    }
  }
  return pruned;
}
