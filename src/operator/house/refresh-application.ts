import { apiPath } from '../../kube/api-path.ts';
import { resources } from '../../kube/resources.ts';
import type { ReconcileContext } from '../context.ts';

/** The host Application's status as far as this file reads it. */
export interface HostApplication {
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
  status?: {
    sync?: { status?: string };
    health?: { status?: string; message?: string };
    conditions?: { type?: string; message?: string }[];
    /** When Argo CD last compared it (RFC 3339). */
    reconciledAt?: string;
  };
}

/** Argo CD's annotation asking its controller to compare an Application again now. */
export const refreshAnnotation = 'argocd.argoproj.io/refresh';

/** The field manager of that annotation: never the applier's `landlord`, whose applies would otherwise drop it. */
const refreshManager = 'landlord-refresh';

/** What Argo CD says of an Application whose destination cluster it does not know (yet). */
const clusterUnknown = /cluster .*not found|there are no clusters|unable to find destination|cluster .*is disabled/i;

/**
 * What Argo CD says of an Application whose destination cluster it knows but could not reach when it last compared
 * (controller/cache: its cluster cache failed to sync: refused, unknown authority, unauthorized). It says so until its
 * next periodic comparison (timeout.reconciliation, 120 s plus up to 60 s by default), not when the cluster answers.
 */
const clusterUnreachable = /failed to get cluster info|error synchronizing cache state/i;

/**
 * Argo CD answers every comparison with a cluster's last sync error for this long (ClusterRetryTimeout, 10 s): a refresh
 * asked sooner after its last comparison would only say the same again (and its end would requeue the tenant: a loop).
 */
export const clusterRetryMs = 10_000;

/**
 * Whether Argo CD says it does not know or could not reach the Application's cluster, no refresh is asked for already,
 * and it last compared long enough ago for a new comparison to find something new.
 */
export function needsRefresh(app: HostApplication, nowMs: number): boolean {
  const messages = (app.status?.conditions ?? []).map((condition) => condition.message ?? '');
  const stale = messages.some((message) => clusterUnknown.test(message) || clusterUnreachable.test(message));
  const comparedMs = Date.parse(app.status?.reconciledAt ?? '');
  const settled = Number.isNaN(comparedMs) || nowMs - comparedMs >= clusterRetryMs;
  return stale && settled && !app.metadata?.annotations?.[refreshAnnotation];
}

/**
 * Called once the house answers. The Application aimed at it was made with the house (before the house answered):
 * Argo CD may not know the house until its next resync, or still say it could not reach it, until its next periodic
 * comparison (minutes, measured 75 s of the house's Argo CD's 2.5 minutes locally). Asks Argo CD to refresh that
 * Application (once: Argo CD removes the annotation when done) rather than waiting. Returns whether it asked.
 */
export async function refreshWhenClusterUnknown(ctx: ReconcileContext, app: HostApplication): Promise<boolean> {
  if (!needsRefresh(app, Date.now())) return false;
  await requestRefresh(ctx, app.metadata?.namespace ?? '', app.metadata?.name ?? '');
  return true;
}

/** Asks Argo CD to compare the Application again now (once: Argo CD removes the annotation when done). */
export async function requestRefresh(
  ctx: Pick<ReconcileContext, 'http' | 'countWrite'>,
  namespace: string,
  name: string,
): Promise<void> {
  await ctx.http.request({
    method: 'PATCH',
    path: apiPath(resources.argoApplication, { namespace, name }),
    query: { fieldManager: refreshManager },
    body: { metadata: { annotations: { [refreshAnnotation]: 'normal' } } },
    contentType: 'application/merge-patch+json',
    timeoutMs: 10_000,
  });
  ctx.countWrite('refresh');
}
