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
  };
}

/** Argo CD's annotation asking its controller to compare an Application again now. */
export const refreshAnnotation = 'argocd.argoproj.io/refresh';

/** The field manager of that annotation: never the applier's `landlord`, whose applies would otherwise drop it. */
const refreshManager = 'landlord-refresh';

/** What Argo CD says of an Application whose destination cluster it does not know (yet). */
const clusterUnknown = /cluster .*not found|there are no clusters|unable to find destination|cluster .*is disabled/i;

/** Whether Argo CD says it does not know the Application's cluster, and no refresh is asked for already. */
export function needsRefresh(app: HostApplication): boolean {
  const messages = (app.status?.conditions ?? []).map((condition) => condition.message ?? '');
  return messages.some((message) => clusterUnknown.test(message)) && !app.metadata?.annotations?.[refreshAnnotation];
}

/**
 * Right after a house is registered, the host Argo CD may not know it until its next resync: an Application aimed at
 * it says its cluster is unknown. Asks Argo CD to refresh that Application (once: Argo CD removes the annotation when
 * done) rather than waiting for the resync period. Returns whether it asked.
 */
export async function refreshWhenClusterUnknown(ctx: ReconcileContext, app: HostApplication): Promise<boolean> {
  if (!needsRefresh(app)) return false;
  await ctx.http.request({
    method: 'PATCH',
    path: apiPath(resources.argoApplication, { namespace: app.metadata?.namespace, name: app.metadata?.name }),
    query: { fieldManager: refreshManager },
    body: { metadata: { annotations: { [refreshAnnotation]: 'normal' } } },
    contentType: 'application/merge-patch+json',
    timeoutMs: 10_000,
  });
  ctx.countWrite('refresh');
  return true;
}
