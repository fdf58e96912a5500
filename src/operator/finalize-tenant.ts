import type { Tenant } from '../api/tenant.ts';
import type { HandlerResult } from '../kube/workqueue.ts';
import type { Concern, ExternalConcern, HeldKind } from '../tenancy/concern.ts';
import { setCondition } from './conditions.ts';
import type { ReconcileContext } from './context.ts';
import { integrationFor } from './external-integration.ts';
import { hasFinalizer, setFinalizer } from './finalizer.ts';
import { isHeldBy } from './held-record.ts';
import { recordedOutsideCache } from './recorded-objects.ts';
import { terminateRunningSync } from './terminate-sync.ts';
import { giveBackPool } from './node-pool/give-back-pool.ts';
import { writeStatus } from './tenant-status.ts';
import { tearDownHouse } from './house/teardown-house.ts';

/**
 * Ordered teardown, concerns last to first: Argo CD Applications first (their cascade finalizer removes what
 * they deployed), then the AppProject and repository Secret, RBAC, network policies, limits and quotas, and the
 * namespaces last. Each kind waits until the one before is gone; status says what it waits for. Owned objects
 * are deleted, claimed ones released, external things (the team's repository) retired last; nothing else is touched.
 */
export async function finalizeTenant(ctx: ReconcileContext, tenant: Tenant): Promise<HandlerResult | void> {
  if (!hasFinalizer(tenant)) return;
  // A house first: what is inside it, its registration, its vCluster release (house/teardown-house.ts).
  const house = await tearDownHouse(ctx, tenant);
  if (house) {
    await reportWaiting(ctx, tenant, house);
    return { requeueAfterMs: 2000 };
  }
  for (const concern of teardownOrder(ctx.concerns)) {
    const waiting = await letGo(ctx, tenant, concern);
    if (!waiting) continue;
    await reportWaiting(ctx, tenant, waiting);
    return { requeueAfterMs: 2000 };
  }
  await setFinalizer(ctx.http, tenant, false, ctx.countWrite);
  ctx.log(`[operator] tenant ${tenant.metadata.name}: teardown complete`);
}

/** Concerns last to first, outside things after all the rest: a repository is archived once nothing uses it. */
function teardownOrder(concerns: readonly Concern[]): Concern[] {
  const reversed = [...concerns].reverse();
  return [
    ...reversed.filter((concern) => concern.holding !== 'external'),
    ...reversed.filter((concern) => concern.holding === 'external'),
  ];
}

/** Lets go of one concern's things; returns what teardown now waits for, if anything. */
async function letGo(ctx: ReconcileContext, tenant: Tenant, concern: Concern): Promise<string | undefined> {
  if (concern.holding === 'external') return retireExternal(ctx, tenant, concern);
  if (concern.holding === 'node-pool') return giveBackPool(ctx, tenant, concern);
  for (const kind of [...concern.kinds].reverse()) {
    const waiting = await letGoOfKind(ctx, tenant, ctx.kinds.of(kind.apiVersion, kind.kind));
    if (waiting) return waiting;
  }
  return undefined;
}

async function letGoOfKind(ctx: ReconcileContext, tenant: Tenant, kind: HeldKind): Promise<string | undefined> {
  const labelled = ctx.cache.labelledFor(kind.kind, tenant.metadata.name);
  const remaining =
    kind.holding === 'owned'
      ? [
          ...labelled.filter((object) => isHeldBy(object, tenant)),
          ...(await recordedOutsideCache(ctx, tenant, kind.kind, labelled)),
        ]
      : labelled;
  if (remaining.length === 0) return undefined;
  for (const object of remaining) {
    if (kind.holding === 'claimed') {
      await ctx.applier.release(object, tenant);
      continue;
    }
    if (await terminateRunningSync(ctx.http, object)) ctx.countWrite('terminate-sync');
    await ctx.applier.deleteOwned(object, tenant);
  }
  const names = remaining.map((object) => object.metadata?.name).join(', ');
  return `waiting for ${kind.kind} ${names} to be ${kind.holding === 'owned' ? 'deleted' : 'released'}`;
}

/** Retires (never deletes) the tenant's outside things; an integration's failure is retried like any other. */
async function retireExternal(ctx: ReconcileContext, tenant: Tenant, concern: ExternalConcern): Promise<undefined> {
  for (const thing of (concern.retirable ?? concern.describe)(tenant, ctx.platform))
    await integrationFor(ctx.integrations, thing).retire(thing, tenant, ctx);
  return undefined;
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
