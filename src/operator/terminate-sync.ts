import type { KubernetesObject } from '../kube/object.ts';
import type { KubeHttp } from '../kube/http.ts';
import { apiPath } from '../kube/api-path.ts';
import { resources } from '../kube/resources.ts';

interface ApplicationWithOperation extends KubernetesObject {
  status?: { operationState?: { phase?: string } };
}

/**
 * Asks Argo CD to stop an Application's running sync, as `argocd app terminate-op` does. Argo CD holds back an
 * Application's deletion while a sync runs, and a failing sync retries with backoff for minutes, which would
 * stall a tenant's teardown behind a broken commit of the team's.
 */
export async function terminateRunningSync(http: KubeHttp, app: KubernetesObject): Promise<boolean> {
  const phase = (app as ApplicationWithOperation).status?.operationState?.phase;
  if (app.kind !== 'Application' || phase !== 'Running') return false;
  const { name, namespace, resourceVersion } = app.metadata ?? {};
  const { status } = await http.send({
    method: 'PATCH',
    path: apiPath(resources.argoApplication, { namespace, name }),
    // The resourceVersion makes it a no-op when Argo CD has moved on since our read.
    body: { metadata: { resourceVersion }, status: { operationState: { phase: 'Terminating' } } },
    contentType: 'application/merge-patch+json',
  });
  return status === 200;
}
