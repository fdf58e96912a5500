import type { Tenant } from '../api/tenant.ts';
import type { HandlerResult } from '../kube/workqueue.ts';
import { setCondition } from './conditions.ts';
import type { ReconcileContext } from './context.ts';
import { hasFinalizer, setFinalizer } from './finalizer.ts';
import { ownedKinds } from './owned-kinds.ts';
import { isOwnedBy } from './owner-reference.ts';
import { terminateRunningSync } from './terminate-sync.ts';
import { writeStatus } from './tenant-status.ts';

/**
 * Ordered teardown: Argo CD Applications first (their cascade finalizer removes what they deployed), then the
 * AppProject and repository Secret, RBAC, network policies, limits and quotas, and the namespaces last. Each
 * step waits until the previous kind is gone; status says what it waits for. Only owned objects are deleted.
 */
export async function finalizeTenant(ctx: ReconcileContext, tenant: Tenant): Promise<HandlerResult | void> {
  if (!hasFinalizer(tenant)) return;
  for (const kind of ownedKinds) {
    const remaining = ctx.cache
      .labelledFor(kind.kind, tenant.metadata.name)
      .filter((object) => isOwnedBy(object, tenant));
    if (remaining.length === 0) continue;
    for (const object of remaining) {
      if (await terminateRunningSync(ctx.http, object)) ctx.countWrite('terminate-sync');
      await ctx.applier.deleteOwned(object, tenant);
    }
    const names = remaining.map((object) => object.metadata?.name).join(', ');
    await reportWaiting(ctx, tenant, `waiting for ${kind.kind} ${names} to be deleted`);
    return { requeueAfterMs: 2000 };
  }
  await setFinalizer(ctx.http, tenant, false, ctx.countWrite);
  ctx.log(`[operator] tenant ${tenant.metadata.name}: teardown complete`);
}

async function reportWaiting(ctx: ReconcileContext, tenant: Tenant, message: string): Promise<void> {
  const generation = tenant.metadata.generation ?? 0;
  const conditions = setCondition(
    tenant.status?.conditions ?? [],
    { type: 'Ready', status: 'False', reason: 'Terminating', message },
    generation,
    new Date().toISOString(),
  );
  await writeStatus(ctx.http, tenant, { ...tenant.status, phase: 'Terminating', conditions }, ctx.countWrite);
}
