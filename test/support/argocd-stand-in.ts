import { after } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeHttp } from '../../src/kube/http.ts';

/**
 * Stands in for Argo CD's application controller, which is not part of the test environment until the Argo CD
 * issue: it does what that controller does when an Application with the cascade finalizer is deleted (deletes
 * the app's resources, none here, then drops the finalizer). Real Argo CD replaces it.
 */
export function standInForArgoCdFinalizer(http: KubeHttp): void {
  const stop = new AbortController();
  const loop = (async () => {
    while (!stop.signal.aborted) {
      const apps = await http
        .request<{
          items: { metadata: { name: string; namespace: string; deletionTimestamp?: string; finalizers?: string[] } }[];
        }>({
          method: 'GET',
          path: '/apis/argoproj.io/v1alpha1/applications',
        })
        .catch(() => ({ items: [] }));
      for (const app of apps.items.filter(
        (item) => item.metadata.deletionTimestamp && item.metadata.finalizers?.length,
      )) {
        await http.send({
          method: 'PATCH',
          path: `/apis/argoproj.io/v1alpha1/namespaces/${app.metadata.namespace}/applications/${app.metadata.name}`,
          body: { metadata: { finalizers: null } },
          contentType: 'application/merge-patch+json',
        });
      }
      await sleep(200, undefined, { signal: stop.signal }).catch(() => undefined);
    }
  })();
  after(async () => {
    stop.abort();
    await loop;
  });
}
